import json

import pytest
from chalice.test import Client

from app import app
from bemtevi.channels.email import SesEmail
from bemtevi.channels.sms import SnsSms
from bemtevi.security.signing import signed_headers
from functions.common.auth import StoreIdentity
from functions.network import benefit_rules, stores
from tests.contract import assert_request_matches, assert_response_matches
from tests.integration.messaging import TENANT, Recording


@pytest.fixture
def store(aws) -> dict:
    """A tenant with one store; the store's key id and secret as `bemtevi store add`
    printed them."""
    stores.create_tenant("rede-teste", "Rede Teste")
    return stores.add_store("rede-teste", "loja-1", "Loja 1")


class Pos:
    """A POS plug-in for one store: signs every call and checks it against the contract
    (the request, when it is accepted; the response, always)."""

    def __init__(self, http, store: dict) -> None:
        self.http, self.store = http, store

    def post(self, path: str, body: object = None, raw: bytes | None = None):
        arguments = (
            signed(self.store, body, method="POST", path=path)
            if raw is None
            else _signed_raw(self.store, raw, path)
        )
        response = self.http.post(path, **arguments)
        if response.status_code < 400 and raw is None and body is not None:
            assert_request_matches("post", path, body)
        assert_response_matches("post", path, response.status_code, response.json_body)
        return response

    def get(self, path: str):
        response = self.http.get(path, **signed(self.store, path=path))
        assert_response_matches("get", path, response.status_code, response.json_body)
        return response


def _signed_raw(store: dict, raw: bytes, path: str) -> dict:
    headers = signed_headers(store["key_id"], store["secret"], "POST", path, raw)
    return {"headers": headers, "body": raw}


@pytest.fixture
def pos(api, store) -> Pos:
    return Pos(api, store)


@pytest.fixture
def api():
    with Client(app) as client:
        yield client.http


def signed(
    store: dict,
    body: object = None,
    *,
    method: str = "GET",
    path: str = "/v1/me",
    **overrides: object,
) -> dict:
    """Keyword arguments for the Chalice test client: signed headers and the raw body."""
    raw = b"" if body is None else json.dumps(body).encode()
    secrets = overrides.pop("secrets", store["secret"])
    headers = signed_headers(store["key_id"], secrets, method, path, raw, **overrides)
    if raw:
        headers["Content-Type"] = "application/json"
    return {"headers": headers, "body": raw}


@pytest.fixture
def shop(aws) -> StoreIdentity:
    """A tenant with a store and a R$ 10 benefit for 100 points; the store as its POS
    calls."""
    stores.create_tenant(TENANT, "Rede Teste")
    store = stores.add_store(TENANT, "loja-1", "Loja Centro")
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10 de desconto", 100, discount=1000)
    return StoreIdentity(TENANT, "loja-1", store["key_id"])


@pytest.fixture
def channels() -> dict:
    """The real SMS and e-mail adapters (on moto), recording whom they sent to."""
    return {"sms": Recording(SnsSms()), "email": Recording(SesEmail("nao-responda@bemtevi.com.br"))}
