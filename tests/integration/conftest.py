import json

import pytest
from chalice.test import Client

from app import app
from bemtevi.security.signing import signed_headers
from functions import network


@pytest.fixture
def store(aws) -> dict:
    """A tenant with one store; the store's key id and secret as `bemtevi store add`
    printed them."""
    network.create_tenant("rede-teste", "Rede Teste")
    return network.add_store("rede-teste", "loja-1", "Loja 1")


@pytest.fixture
def api():
    with Client(app) as client:
        yield client.http


def signed(store: dict, body: object = None, **overrides: object) -> dict:
    """Keyword arguments for the Chalice test client: signed headers and the raw body."""
    raw = b"" if body is None else json.dumps(body).encode()
    headers = signed_headers(
        store["key_id"], overrides.pop("secrets", store["secret"]), raw, **overrides
    )
    if raw:
        headers["Content-Type"] = "application/json"
    return {"headers": headers, "body": raw}
