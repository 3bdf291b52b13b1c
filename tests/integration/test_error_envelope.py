"""Whatever refuses a request, the app or Chalice before a view runs, the answer is the
one documented envelope `{"error": {"code", "message", "field"}}`."""

import json

import pytest

from tests.contract import assert_response_matches
from tests.integration.conftest import signed


def test_a_method_the_route_does_not_take_is_405_with_allow(api):
    response = api.put("/v1/sales", body=b"{}")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json_body["error"]["code"] == "method_not_allowed"
    assert response.json_body["error"]["field"] is None


def test_a_body_that_is_not_json_is_415(api, store):
    arguments = signed(store, {"cpf": "52998224725"}, method="POST", path="/v1/balance")
    arguments["headers"]["Content-Type"] = "text/plain"
    response = api.post("/v1/balance", **arguments)
    assert response.status_code == 415
    assert_response_matches("post", "/v1/balance", 415, response.json_body)
    assert response.json_body["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("route", ["/v1/me", "/health"])
def test_an_unexpected_failure_is_500_in_the_envelope_with_the_request_id(
    api, store, monkeypatch, route
):
    def fails(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("functions.network.stores.store_profile", fails)
    monkeypatch.setattr("functions.common.health.health", fails)
    response = api.get(route, **signed(store))
    assert response.status_code == 500
    error = response.json_body["error"]
    assert error["code"] == "internal"
    assert error["request_id"]
    assert "boom" not in json.dumps(response.json_body)
    assert_response_matches("get", route, 500, response.json_body)


def test_every_signed_operation_documents_the_statuses_any_request_can_get():
    from bemtevi.contract import document

    for path, item in document()["paths"].items():
        if not path.startswith("/v1/") or path == "/v1/openapi.json":
            continue
        for method, operation in item.items():
            expected = {"401", "500", "503"}
            if method == "post":
                expected |= {"400", "413", "415"}
            assert expected <= set(operation["responses"]), (method, path)
