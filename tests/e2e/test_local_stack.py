"""`make run`'s stack over HTTP: health, signed requests with the printed credentials,
401 for everything else, and a clean stop."""

import json
import subprocess
import time
from pathlib import Path

import pytest
import requests

from bemtevi.security.signing import signed_headers
from tests.e2e.conftest import ROOT, start_local_stack

pytestmark = pytest.mark.slow


def test_health_answers_with_the_tables_up(local_stack):
    response = requests.get(f"{local_stack.base_url}/health", timeout=10)
    assert response.status_code == 200
    assert response.json()["tables"] == {"network": "ok", "customers": "ok", "sales": "ok"}


def test_the_demo_network_has_three_stores_with_credentials(local_stack):
    assert sorted(local_stack.stores) == ["bairro", "centro", "shopping"]
    for store in local_stack.stores.values():
        response = requests.get(
            f"{local_stack.base_url}/v1/me",
            headers=signed_headers(store["key_id"], store["secret"], "GET", "/v1/me"),
            timeout=10,
        )
        assert response.status_code == 200
        assert response.json()["store"]["id"] == store["id"]
        assert response.json()["tenant"]["name"] == "Rede Demo"


def test_the_printed_curl_example_works(local_stack):
    centro = local_stack.stores["centro"]
    status, answer = signed_curl(centro, "GET", f"{local_stack.base_url}/v1/me")
    assert status == 200
    assert answer["store"]["id"] == "centro"


@pytest.mark.parametrize("tamper", ["unsigned", "wrong", "stale", "future", "unknown key"])
def test_bad_requests_get_401(local_stack, tamper):
    centro = local_stack.stores["centro"]
    body = b'{"sale_id": "v-1", "total": 1000}'
    secret, now, key = centro["secret"], time.time(), centro["key_id"]
    match tamper:
        case "wrong":
            secret = "bs_wrong"
        case "stale":
            now -= 301
        case "future":
            now += 330  # margin for a slow machine
        case "unknown key":
            key = "bk_ffffffffffffffffffff"
    headers = signed_headers(key, secret, "GET", "/v1/me", body, now=now)
    if tamper == "unsigned":
        headers = {}
    response = requests.get(f"{local_stack.base_url}/v1/me", headers=headers, data=body, timeout=10)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_ctrl_c_stops_everything_and_it_starts_again():
    stack = start_local_stack()
    assert requests.get(f"{stack.base_url}/health", timeout=10).status_code == 200
    assert stack.stop() == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{stack.base_url}/health", timeout=2)
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.aws_endpoint, timeout=2)
    again = start_local_stack()
    try:
        assert requests.get(f"{again.base_url}/health", timeout=10).status_code == 200
    finally:
        assert again.stop() == 0


def signed_curl(store: dict, method: str, url: str, *body: Path) -> tuple[int, dict]:
    """events/signed-curl.sh, as the README shows it; the status and the JSON answer."""
    result = subprocess.run(
        [ROOT / "events" / "signed-curl.sh", store["key_id"], store["secret"], method, url, *body],
        capture_output=True,
        text=True,
        check=True,
    )
    answer, status = result.stdout.strip().rsplit("\n", 1)
    return int(status), json.loads(answer)


def test_a_signed_sale_from_the_samples_over_http(local_stack):
    shopping = local_stack.stores["shopping"]
    sample = ROOT / "events" / "requests" / "sale.json"
    url = f"{local_stack.base_url}/v1/sales"
    status, answer = signed_curl(shopping, "POST", url, sample)
    assert status == 201
    assert (answer["points_earned"], answer["balance"]) == (249, 249)
    assert signed_curl(shopping, "POST", url, sample) == (201, answer)


def test_signed_curl_signs_path_parameters_and_the_query(local_stack):
    centro = local_stack.stores["centro"]
    base = local_stack.base_url
    status, answer = signed_curl(centro, "GET", f"{base}/v1/metrics?to=2026-02&from=2026-01")
    assert (status, answer["store"]) == (200, "centro")
    status, answer = signed_curl(centro, "POST", f"{base}/v1/sales/PDV-NONE/cancel")
    assert (status, answer["error"]["code"]) == (404, "sale_not_found")
