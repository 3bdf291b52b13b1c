"""Every /v1 call is signed with the store's secret; refusals are 401 JSON errors."""

import time

import pytest

from bemtevi.security.signing import signature
from functions import network
from tests.integration.conftest import signed


def test_a_signed_request_acts_for_the_store_of_its_key(api, store):
    response = api.get("/v1/me", **signed(store))
    assert response.status_code == 200
    assert response.json_body == {
        "tenant": {"id": "rede-teste", "name": "Rede Teste", "timezone": "America/Sao_Paulo"},
        "store": {"id": "loja-1", "name": "Loja 1"},
        "key_id": store["key_id"],
    }


def test_the_body_is_part_of_the_signature(api, store):
    arguments = signed(store, {"total": 1000})
    arguments["body"] = b'{"total": 100000}'
    response = api.get("/v1/me", **arguments)
    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "bad_signature"


@pytest.mark.parametrize(
    ("tamper", "code", "field"),
    [
        ("unsigned", "missing_signature", "X-Bemtevi-Key"),
        ("no signature", "missing_signature", "X-Bemtevi-Signature"),
        ("wrong secret", "bad_signature", "X-Bemtevi-Signature"),
        ("stale", "stale_timestamp", "X-Bemtevi-Timestamp"),
        ("future", "stale_timestamp", "X-Bemtevi-Timestamp"),
        ("not a number", "invalid_timestamp", "X-Bemtevi-Timestamp"),
        ("unknown key", "unknown_key", "X-Bemtevi-Key"),
        ("other scheme", "bad_signature", "X-Bemtevi-Signature"),
    ],
)
def test_refusals_are_401_with_the_field(api, store, tamper, code, field):
    arguments = signed(store)
    headers = arguments["headers"]
    match tamper:
        case "unsigned":
            arguments["headers"] = {}
        case "no signature":
            del headers["X-Bemtevi-Signature"]
        case "wrong secret":
            arguments = signed(store, secrets="bs_not-the-secret")
        case "stale":
            arguments = signed(store, now=time.time() - 301)
        case "future":
            arguments = signed(store, now=time.time() + 301)
        case "not a number":
            headers["X-Bemtevi-Timestamp"] = "2026-11-23T10:00:00Z"
        case "unknown key":
            headers["X-Bemtevi-Key"] = "bk_00000000000000000000"
        case "other scheme":
            value = headers["X-Bemtevi-Signature"].removeprefix("v1=")
            headers["X-Bemtevi-Signature"] = f"v0={value}"
    response = api.get("/v1/me", **arguments)
    assert response.status_code == 401
    assert response.json_body == {
        "error": {"code": code, "message": response.json_body["error"]["message"], "field": field}
    }
    assert response.json_body["error"]["message"]


def test_a_timestamp_just_inside_the_window_is_accepted(api, store):
    assert api.get("/v1/me", **signed(store, now=time.time() - 290)).status_code == 200


def test_a_key_acts_only_for_its_own_store(api, store):
    other = network.add_store("rede-teste", "loja-2", "Loja 2")
    # loja-2's key id with loja-1's secret
    arguments = signed({"key_id": other["key_id"], "secret": store["secret"]})
    assert api.get("/v1/me", **arguments).status_code == 401
    own = api.get("/v1/me", **signed(other))
    assert own.json_body["store"]["id"] == "loja-2"


def test_signatures_are_compared_over_the_exact_message():
    assert signature("s", "1700000000", b"{}") == signature("s", "1700000000", b"{}")
    assert signature("s", "1700000000", b"{}") != signature("s", "1700000001", b"{}")
