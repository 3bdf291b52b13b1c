"""What the dashboard's Início costs a network admin, against moto server: a 40-store
network with 12 closed months of snapshots (each store's and the network's) and this
month's store-month counters, seeded directly as the snapshot job and ingestion keep them.
Início reads the tenant, its stores, the network's twelve months (one Query), the stores'
last closed month (BatchGetItem) and their month so far (BatchGetItem), the last three at
once: never a customer, a sale or a store-day counter.

Targets: items read <= 600, round trips <= 6.

Last line: home_items_read=<n> home_round_trips=<n>
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from local_aws import emulated_aws

STORES = 40
ITEMS_TARGET, ROUND_TRIPS_TARGET = 600, 6


def main() -> None:
    with emulated_aws():
        run()


def run() -> None:
    from bemtevi.domain.staff import Manager, Role
    from bemtevi.store.call_count import counting_dynamodb_calls, counting_items_read
    from functions.dashboard.home import home

    current = seed("bench")
    admin = Manager("bench-admin", "rede@bench.example", "bench", Role.NETWORK)
    with counting_items_read() as items, counting_dynamodb_calls() as calls:
        page = home(admin, {})
    assert page.status == 200, page.body
    assert page.body.count('<tr><th scope="row"><a href="/painel?loja=') == STORES
    read, trips = sum(items.values()), sum(calls.values())
    print(f"month={current} stores={STORES} calls={dict(calls)} items={dict(items)}")
    assert read <= ITEMS_TARGET, read
    assert trips <= ROUND_TRIPS_TARGET, trips
    print(f"home_items_read={read} home_round_trips={trips}")


def seed(tenant_id: str) -> str:
    """The tenant and its stores through the functions; snapshots and month counters
    written directly (BatchWriteItem). Returns this month (tenant time)."""
    from bemtevi.domain.dashboard import trend_months
    from bemtevi.domain.metrics import FLOWS, NETWORK, STATE, MonthSnapshot
    from bemtevi.domain.months import month_of, months_between
    from bemtevi.store import metrics
    from bemtevi.store.models import MonthCounterRecord
    from functions.network import stores

    stores.create_tenant(tenant_id, "Rede Bench")
    store_ids = [f"loja-{n:02d}" for n in range(STORES)]
    for store_id in store_ids:
        stores.add_store(tenant_id, store_id, f"Loja {store_id[-2:]}")
    current = month_of(datetime.now(UTC).astimezone(ZoneInfo("America/Sao_Paulo")).date())
    flows = {name: 1_000 for name in FLOWS}
    photo = {name: 100 for name in STATE}
    snapshots = [
        MonthSnapshot(scope, month, f"{month}-28", f"{month}-28", flows, flows, photo, {}, {})
        for month in months_between(*trend_months(current))
        for scope in [NETWORK, *store_ids]
    ]
    metrics.save(tenant_id, snapshots)
    with MonthCounterRecord.batch_write() as batch:
        for store_id in store_ids:
            keys = MonthCounterRecord.keys(tenant_id, store_id, current)
            batch.save(MonthCounterRecord(*keys, store_id=store_id, month=current, **flows))
    return current


if __name__ == "__main__":
    main()
