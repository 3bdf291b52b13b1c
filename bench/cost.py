"""What a sale and a redemption cost in DynamoDB, in US$ per million, against moto server,
from the items actually written and read (bench/capacity.py: DynamoDB's size rules,
index writes included, transactions at 2x) at on-demand prices (US$ 0.625 per million
write units, 0.125 per million read units).

One CPF buys 5,000 times at one store, 40 sales a day (a cashier typing their own CPF on
anonymous sales), through `record_sale` itself (the HTTP layer writes nothing).
`usd_per_million_sales` is the mean over the 5,000 sales; `usd_per_million_sales_500_lots`
the mean over sales of a second customer whose item holds 500 live lots that cannot
merge (500 days of sales at 5 stores, points valid for 2 years); then 100 redemptions of
the first customer. moto's rollback copies are skipped (it measures items, not rollbacks).

Last line: usd_per_million_sales=<x> usd_per_million_sales_500_lots=<y>
usd_per_million_redemptions=<z> item_kb_after_5000_sales=<k> sales_refused=<n>
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from statistics import mean

from local_aws import emulated_aws, skip_table_copies

SALES = int(os.environ.get("BENCH_COST_SALES", "5000"))
PER_DAY = 40
CPF = "52998224725"
BIG_CPF = "11144477735"
T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


def main() -> None:
    skip_table_copies()
    with emulated_aws():
        run()


def run() -> None:
    import boto3
    from capacity import Meter, item_size

    from bemtevi import aws
    from bemtevi.errors import BemteviError
    from bemtevi.store.models import CustomerRecord
    from functions.common import tenancy
    from functions.common.auth import StoreIdentity
    from functions.loyalty.redemptions import redeem_benefit
    from functions.loyalty.sales import record_sale
    from functions.network import benefit_rules, points_program, stores

    stores.create_tenant("bench", "Rede Bench")
    shops = [stores.add_store("bench", f"loja{n}", f"Loja {n}") for n in range(5)]
    callers = [StoreIdentity("bench", shop["id"], shop["key_id"]) for shop in shops]
    benefit_rules.add_benefit("bench", "dez", "R$ 10", 100, discount=1000)
    raw = boto3.client("dynamodb")
    meter = Meter(raw)
    clients = [aws.client("dynamodb")]  # every model's client

    def sale(caller: StoreIdentity, sale_id: str, cpf: str, at: datetime) -> float | None:
        payload = {
            "sale_id": sale_id,
            "occurred_at": at.isoformat(),
            "total": 12990,
            "customer": {"cpf": cpf},
        }
        meter.reset()
        try:
            with meter.measuring(clients):
                record_sale(caller, payload, now=at + timedelta(seconds=1))
        except BemteviError as error:
            print(f"refused {sale_id}: {error.code}", file=sys.stderr)
            return None
        return meter.usd_per_million

    costs, refused = [], 0
    first_writes = None
    for n in range(SALES):
        at = T0 + timedelta(days=n // PER_DAY, minutes=15 * (n % PER_DAY))
        cost = sale(callers[0], f"v-{n}", CPF, at)
        if cost is None:
            refused += 1
            continue
        if first_writes is None:
            first_writes = dict(meter.writes)
        costs.append(cost)
    pk, sk = CustomerRecord.keys("bench", _customer_id(tenancy, CPF))
    item = raw.get_item(TableName=CustomerRecord.Meta.table_name, Key=_key(pk, sk))["Item"]
    item_kb = item_size(item) / 1024
    print(f"first sale: {first_writes}")
    print(f"last sale: writes={dict(meter.writes)} reads={dict(meter.reads)}")

    redemptions = []
    end = T0 + timedelta(days=SALES // PER_DAY + 1)
    for n in range(100):
        at = end + timedelta(minutes=n)
        payload = {
            "redemption_id": f"r-{n}",
            "customer": {"cpf": CPF},
            "benefit_id": "dez",
            "purchase_total": 8000,
            "occurred_at": at.isoformat(),
        }
        meter.reset()
        with meter.measuring(clients):
            redeem_benefit(callers[n % 5], payload, now=at)
        redemptions.append(meter.usd_per_million)
    print(f"redemption: writes={dict(meter.writes)} reads={dict(meter.reads)}")

    points_program.set_program("bench", validity_days=730)
    start = end + timedelta(days=1)
    for day in range(100):
        for store in range(5):
            at = start + timedelta(days=day, hours=store)
            sale(callers[store], f"b-{day}-{store}", BIG_CPF, at)
    big = []
    for n in range(20):
        at = start + timedelta(days=100, minutes=n)
        cost = sale(callers[n % 5], f"b-x{n}", BIG_CPF, at)
        refused += cost is None
        big.append(cost or 0)
    pk, sk = CustomerRecord.keys("bench", _customer_id(tenancy, BIG_CPF))
    lots = len(CustomerRecord.get(pk, sk).lots)
    print(f"500-lot customer: lots={lots} writes={dict(meter.writes)} reads={dict(meter.reads)}")
    print(f"sales={len(costs)} customer_item_bytes={item_size(item)}")
    print(
        f"usd_per_million_sales={mean(costs):.2f} "
        f"usd_per_million_sales_500_lots={mean(big):.2f} "
        f"usd_per_million_redemptions={mean(redemptions):.2f} "
        f"item_kb_after_5000_sales={item_kb:.1f} sales_refused={refused}"
    )


def _customer_id(tenancy, cpf: str) -> str:
    from bemtevi.domain.customers import customer_id_for

    return customer_id_for(tenancy.tenant("bench").pepper, cpf, None)


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


if __name__ == "__main__":
    main()
