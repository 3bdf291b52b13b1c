"""`make run`'s stack over HTTP: health, signed requests with the printed credentials,
401 for everything else, and a clean stop."""

import contextlib
import json
import os
import signal
import socket
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


def test_chalice_local_dies_with_a_killed_stack():
    """The runner SIGKILLed (as the kernel's out-of-memory killer does): its AWS is gone,
    and `chalice local` must stop answering too rather than answer 500."""
    stack = start_local_stack()
    api = _children_of(stack.process.pid)
    try:
        assert requests.get(f"{stack.base_url}/health", timeout=10).status_code == 200
        assert api, "chalice local is not a child of the runner"
        stack.process.kill()
        stack.process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _accepts_connections(stack.base_url) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _accepts_connections(stack.base_url)
    finally:
        for pid in api:  # what the runner left running, if it failed
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def _children_of(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
    return children


def _accepts_connections(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


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
