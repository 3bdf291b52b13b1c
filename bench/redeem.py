"""DynamoDB round trips at the till, against moto server, counted with botocore's event
hooks (warm Lambda: store key, tenant and benefits cached): a balance look-up (target 1)
and a redemption (target <= 2) on the happy path.

Last line: balance_round_trips=<n> redeem_round_trips=<n>
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers")]
CUSTOMERS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    port = _free_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="sa-east-1",
        BEMTEVI_STAGE="bench",
        POWERTOOLS_METRICS_DISABLED="true",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )
    from infra.emulator import EmulatedAws

    aws = EmulatedAws("127.0.0.1", port)
    aws.start()
    try:
        run()
    finally:
        aws.stop()


def run() -> None:
    from chalice.test import Client
    from validate_docbr import CPF

    from app import app
    from bemtevi.security.signing import signed_headers
    from bemtevi.store.call_count import counting_dynamodb_calls
    from functions import benefits, network
    from infra.bootstrap import bootstrap

    bootstrap()
    network.create_tenant("bench", "Rede Bench")
    centro = network.add_store("bench", "centro", "Centro")
    shopping = network.add_store("bench", "shopping", "Shopping")
    benefits.add_benefit("bench", "dez", "R$ 10", 100, discount=1000)
    cpfs = CPF().generate_list(CUSTOMERS, repeat=False)
    now = datetime.now(UTC).isoformat()

    def post(client: Client, store: dict, path: str, body: dict) -> dict:
        raw = json.dumps(body).encode()
        headers = signed_headers(store["key_id"], store["secret"], raw)
        response = client.http.post(path, headers=headers, body=raw)
        assert response.status_code < 300, response.json_body
        return response.json_body

    with Client(app) as client:
        for n, cpf in enumerate(cpfs):
            sale = {
                "sale_id": f"v-{n}",
                "occurred_at": now,
                "total": 30000,
                "customer": {"cpf": cpf},
            }
            post(client, centro, "/v1/sales", sale)
        post(client, shopping, "/v1/balance", {"cpf": cpfs[0]})  # warm the shopping store
        with counting_dynamodb_calls() as balance_calls:
            for cpf in cpfs:
                post(client, shopping, "/v1/balance", {"cpf": cpf})
        with counting_dynamodb_calls() as redeem_calls:
            for n, cpf in enumerate(cpfs):
                redemption = {
                    "redemption_id": f"r-{n}",
                    "customer": {"cpf": cpf},
                    "benefit_id": "dez",
                    "purchase_total": 8000,
                    "occurred_at": now,
                }
                post(client, shopping, "/v1/redemptions", redemption)
    balance = sum(balance_calls.values()) / CUSTOMERS
    redeem = sum(redeem_calls.values()) / CUSTOMERS
    print(f"balance_calls={dict(balance_calls)} redeem_calls={dict(redeem_calls)}")
    print(f"balance_round_trips={balance:g} redeem_round_trips={redeem:g}")


if __name__ == "__main__":
    main()
