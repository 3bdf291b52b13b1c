"""Two, then twenty, stores redeeming the same points at the same moment through the real
HTTP server of the local stack: exactly one wins, the others hear insufficient_points."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from validate_docbr import CPF

from bemtevi.security.signing import signed_headers

pytestmark = pytest.mark.slow


def pos_session() -> requests.Session:
    """A POS retries a request the server did not take (chalice local's listen backlog is
    small); the API is idempotent, so a retry with the same id is safe."""
    session = requests.Session()
    retry = Retry(total=8, connect=8, read=8, backoff_factor=0.1, allowed_methods=None)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def call(stack, store_id: str, path: str, body: dict) -> requests.Response:
    store = stack.stores[store_id]
    raw = json.dumps(body).encode()
    headers = signed_headers(store["key_id"], store["secret"], "POST", path, raw)
    headers["Content-Type"] = "application/json"
    return pos_session().post(f"{stack.base_url}{path}", data=raw, headers=headers, timeout=60)


@pytest.mark.parametrize("contenders", [2, 20])
def test_exactly_one_of_simultaneous_redemptions_wins(local_stack, contenders):
    cpf = CPF().generate()
    now = datetime.now(UTC).isoformat()
    sold = call(
        local_stack,
        "centro",
        "/v1/sales",
        {
            "sale_id": f"conc-{contenders}",
            "occurred_at": now,
            "total": 10000,
            "customer": {"cpf": cpf},
        },
    )
    assert sold.json()["balance"] == 100
    stores = ["centro", "shopping", "bairro"]

    def redeem(n: int) -> requests.Response:
        body = {
            "redemption_id": f"conc-{contenders}-{n}",
            "customer": {"cpf": cpf},
            "benefit_id": "desconto-10",
            "purchase_total": 6000,
            "occurred_at": now,
        }
        return call(local_stack, stores[n % 3], "/v1/redemptions", body)

    with ThreadPoolExecutor(max_workers=contenders) as pool:
        answers = list(pool.map(redeem, range(contenders)))
    statuses = sorted(answer.status_code for answer in answers)
    if 500 in statuses:
        print("".join(line for line in local_stack.output if "ERROR" in line or "Error" in line))
    assert statuses == [201] + [422] * (contenders - 1)
    refusals = {a.json()["error"]["code"] for a in answers if a.status_code == 422}
    assert refusals <= {"insufficient_points"}
    balance = call(local_stack, "bairro", "/v1/balance", {"cpf": cpf}).json()
    assert (balance["balance"], balance["available"]) == (0, 0)
