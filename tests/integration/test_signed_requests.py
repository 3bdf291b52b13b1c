"""Every /v1 call is signed with the store's secret; refusals are 401 JSON errors."""

import time

import pytest

from bemtevi.security import signing
from bemtevi.store.call_count import counting_dynamodb_calls
from functions.common import auth
from functions.network import stores
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
            arguments = signed(store, now=time.time() + 330)  # margin for a slow machine
        case "not a number":
            headers["X-Bemtevi-Timestamp"] = "2026-11-23T10:00:00Z"
        case "unknown key":
            headers["X-Bemtevi-Key"] = "bk_00000000000000000000"
        case "other scheme":
            value = headers["X-Bemtevi-Signature"].removeprefix("v2=")
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
    other = stores.add_store("rede-teste", "loja-2", "Loja 2")
    # loja-2's key id with loja-1's secret
    arguments = signed({"key_id": other["key_id"], "secret": store["secret"]})
    assert api.get("/v1/me", **arguments).status_code == 401
    own = api.get("/v1/me", **signed(other))
    assert own.json_body["store"]["id"] == "loja-2"


CAPTURED_ELSEWHERE = [
    ("post", "/v1/sales/PDV-1/cancel"),
    ("post", "/v1/redemptions/R-1/cancel"),
    ("get", "/v1/metrics?from=2026-01&to=2026-12"),
    ("get", "/v1/compensation?month=2026-10"),
    ("get", "/v1/me?extra=1"),
]


@pytest.mark.parametrize(("method", "target"), CAPTURED_ELSEWHERE)
def test_a_captured_request_cannot_be_replayed_to_another_path_method_or_query(
    api, store, method, target
):
    captured = signed(store)  # GET /v1/me, empty body: accepted where it was sent
    assert api.get("/v1/me", **captured).status_code == 200
    replayed = getattr(api, method)(target, **captured)
    assert replayed.status_code == 401
    assert replayed.json_body["error"]["code"] == "bad_signature"


def test_the_method_and_every_path_segment_are_signed(api, store):
    for method, path in (("GET", "/v1/sales/PDV-1/cancel"), ("POST", "/v1/sales/PDV-2/cancel")):
        arguments = signed(store, method=method, path=path)
        response = api.post("/v1/sales/PDV-1/cancel", **arguments)
        assert response.status_code == 401
    arguments = signed(store, method="POST", path="/v1/sales/PDV-1/cancel")
    assert api.post("/v1/sales/PDV-1/cancel", **arguments).status_code == 404


def test_the_query_is_signed_in_any_order_of_its_parameters(api, store):
    arguments = signed(store, path="/v1/metrics?to=2026-02&from=2026-01")
    response = api.get("/v1/metrics?from=2026-01&to=2026-02", **arguments)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("X-Bemtevi-Timestamp", "1" * 5000, "invalid_timestamp"),
        ("X-Bemtevi-Timestamp", "１７００００００００", "invalid_timestamp"),
        ("X-Bemtevi-Timestamp", "-1700000000", "invalid_timestamp"),
        ("X-Bemtevi-Signature", "v2=" + "é" * 64, "bad_signature"),
        ("X-Bemtevi-Key", "bk_" + "ç" * 20, "unknown_key"),
        ("X-Bemtevi-Key", "bk_" + "0" * 5000, "unknown_key"),
    ],
)
def test_malformed_headers_are_401_not_500(api, store, header, value, code):
    arguments = signed(store)
    arguments["headers"][header] = value
    response = api.get("/v1/me", **arguments)
    assert response.status_code == 401
    assert response.json_body["error"] == {
        "code": code,
        "message": response.json_body["error"]["message"],
        "field": header,
    }


def test_a_new_secret_works_on_its_first_request_in_a_warm_process(api, store, monkeypatch):
    assert api.get("/v1/me", **signed(store)).status_code == 200  # the key is now cached
    monkeypatch.setattr(auth, "RELOAD_AFTER_SECONDS", 0.0)
    # `bemtevi store rotate-secret` runs in another process: this one's cache is not told
    monkeypatch.setattr(stores, "forget_key", lambda key_id: None)
    new = stores.rotate_store_secret("rede-teste", "loja-1")["secret"]
    assert api.get("/v1/me", **signed(store, secrets=new)).status_code == 200


def test_a_flood_of_bad_signatures_reads_the_key_at_most_once_a_second(api, store):
    assert api.get("/v1/me", **signed(store)).status_code == 200
    with counting_dynamodb_calls() as calls:
        for _ in range(20):
            refused = api.get("/v1/me", **signed(store, secrets="bs_wrong"))
            assert refused.status_code == 401
    assert calls["GetItem"] <= 1
    auth.forget_key(store["key_id"])
    with counting_dynamodb_calls() as cold:
        assert api.get("/v1/me", **signed(store)).status_code == 200
    assert cold["GetItem"] >= 1  # the counter does see a key read


def test_signatures_are_compared_over_the_exact_message():
    message = signing.string_to_sign("1700000000", "GET", "/v1/me", "", b"{}")
    later = signing.string_to_sign("1700000001", "GET", "/v1/me", "", b"{}")
    assert signing.signature("s", message) == signing.signature("s", message)
    assert signing.signature("s", message) != signing.signature("s", later)
