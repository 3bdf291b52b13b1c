"""DynamoDB round trips at the till, against moto server, counted with botocore's event
hooks (warm Lambda: store key and tenant cached; the benefit rules ride on the customer's
read): a balance look-up (target 1) and a redemption (target <= 2) on the happy path.

Last line: balance_round_trips=<n> redeem_round_trips=<n>
"""

from __future__ import annotations

from datetime import UTC, datetime

from local_aws import emulated_aws, signed_post

CUSTOMERS = 20


def main() -> None:
    with emulated_aws():
        run()


def run() -> None:
    from chalice.test import Client
    from validate_docbr import CPF

    from app import app
    from bemtevi.store.call_count import counting_dynamodb_calls
    from functions.network import benefit_rules, stores

    stores.create_tenant("bench", "Rede Bench")
    centro = stores.add_store("bench", "centro", "Centro")
    shopping = stores.add_store("bench", "shopping", "Shopping")
    benefit_rules.add_benefit("bench", "dez", "R$ 10", 100, discount=1000)
    cpfs = CPF().generate_list(CUSTOMERS, repeat=False)
    now = datetime.now(UTC).isoformat()

    with Client(app) as client:
        for n, cpf in enumerate(cpfs):
            sale = {
                "sale_id": f"v-{n}",
                "occurred_at": now,
                "total": 30000,
                "customer": {"cpf": cpf},
            }
            signed_post(client, centro, "/v1/sales", sale)
        signed_post(client, shopping, "/v1/balance", {"cpf": cpfs[0]})  # warm the shopping store
        with counting_dynamodb_calls() as balance_calls:
            for cpf in cpfs:
                signed_post(client, shopping, "/v1/balance", {"cpf": cpf})
        with counting_dynamodb_calls() as redeem_calls:
            for n, cpf in enumerate(cpfs):
                redemption = {
                    "redemption_id": f"r-{n}",
                    "customer": {"cpf": cpf},
                    "benefit_id": "dez",
                    "purchase_total": 8000,
                    "occurred_at": now,
                }
                signed_post(client, shopping, "/v1/redemptions", redemption)
    balance = sum(balance_calls.values()) / CUSTOMERS
    redeem = sum(redeem_calls.values()) / CUSTOMERS
    print(f"balance_calls={dict(balance_calls)} redeem_calls={dict(redeem_calls)}")
    print(f"balance_round_trips={balance:g} redeem_round_trips={redeem:g}")


if __name__ == "__main__":
    main()
