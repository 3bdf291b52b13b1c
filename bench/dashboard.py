"""What the dashboard's Início and Mensagens cost a network admin, against moto server: a
40-store network with 12 closed months of snapshots (each store's and the network's), this
month's store-month items through yesterday (with their per-day message counts) and
today's store-day and message counters, seeded directly as the snapshot job, the nightly
roll-up and ingestion keep them. Início reads the tenant, its stores, the network's twelve
months (one Query), the stores' last closed month (BatchGetItem) and their month so far
(one BatchGetItem of the month items with today's day counters), the last three at once:
never a customer or a sale. Mensagens reads the month items with today's message
counters by key (no Query per store and day) and the message log of the last days.

Targets (Início): items read <= 600, round trips <= 6.

Last lines: messages_items_read=<n> messages_round_trips=<n>
home_items_read=<n> home_round_trips=<n>
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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
    from functions.dashboard.messages import messages

    current = seed("bench")
    admin = Manager("bench-admin", "rede@bench.example", "bench", Role.NETWORK)
    with counting_items_read() as items, counting_dynamodb_calls() as calls:
        page = messages(admin, {})
    assert page.status == 200, page.body
    day = datetime.now(UTC).astimezone(ZoneInfo("America/Sao_Paulo")).day
    assert f"{STORES * day} mensagens enviadas" in page.body  # one a store and day
    messages_read, messages_trips = sum(items.values()), sum(calls.values())
    with counting_items_read() as items, counting_dynamodb_calls() as calls:
        page = home(admin, {})
    assert page.status == 200, page.body
    assert page.body.count('<tr><th scope="row"><a href="/painel?loja=') == STORES
    read, trips = sum(items.values()), sum(calls.values())
    print(f"month={current} stores={STORES} calls={dict(calls)} items={dict(items)}")
    assert read <= ITEMS_TARGET, read
    assert trips <= ROUND_TRIPS_TARGET, trips
    print(f"messages_items_read={messages_read} messages_round_trips={messages_trips}")
    print(f"home_items_read={read} home_round_trips={trips}")


def seed(tenant_id: str) -> str:
    """The tenant and its stores through the functions; snapshots, month items through
    yesterday and today's counters written directly (BatchWriteItem). Returns this month
    (tenant time)."""
    from bemtevi.domain.dashboard import trend_months
    from bemtevi.domain.metrics import FLOWS, NETWORK, STATE, MonthSnapshot
    from bemtevi.domain.months import month_of, months_between
    from bemtevi.store import metrics
    from functions.network import stores

    stores.create_tenant(tenant_id, "Rede Bench")
    store_ids = [f"loja-{n:02d}" for n in range(STORES)]
    for store_id in store_ids:
        stores.add_store(tenant_id, store_id, f"Loja {store_id[-2:]}")
    today = datetime.now(UTC).astimezone(ZoneInfo("America/Sao_Paulo")).date()
    current = month_of(today)
    flows = {name: 1_000 for name in FLOWS}
    photo = {name: 100 for name in STATE}
    snapshots = [
        MonthSnapshot(scope, month, f"{month}-28", f"{month}-28", flows, flows, photo, {}, {})
        for month in months_between(*trend_months(current))
        for scope in [NETWORK, *store_ids]
    ]
    metrics.save(tenant_id, snapshots)
    seed_month_so_far(tenant_id, store_ids, today)
    return current


def seed_month_so_far(tenant_id: str, store_ids: list[str], today: date) -> None:
    """Each store's month item through yesterday (none on the 1st), with a reminder by SMS
    on each of its days, and today's day counter and message counter."""
    from bemtevi.domain.metrics import FLOWS
    from bemtevi.domain.months import month_of
    from bemtevi.domain.rollup import DayCounts, days_after, folded
    from bemtevi.store import figures
    from bemtevi.store.models import DayCounterRecord, MessageCounterRecord, SalesTable

    sms = {"reminder:sms": {"sent": 1, "segments": 1, "cost": 10, "failed": 0}}
    day = {name: 1_000 for name in FLOWS}
    yesterday = today - timedelta(days=1)
    if month_of(yesterday) == month_of(today):
        days = days_after(month_of(today), None, yesterday)
        totals = folded({d.isoformat(): DayCounts(day, sms) for d in days}, yesterday)
        for store_id in store_ids:
            figures.save_month(tenant_id, store_id, month_of(today), totals)
    on = today.isoformat()
    with SalesTable.batch_write() as batch:
        for store_id in store_ids:
            keys = DayCounterRecord.keys(tenant_id, store_id, on)
            batch.save(DayCounterRecord(*keys, store_id=store_id, day=on, **day))
            keys = MessageCounterRecord.keys(tenant_id, store_id, on, "reminder", "sms")
            batch.save(
                MessageCounterRecord(
                    *keys,
                    store_id=store_id,
                    day=on,
                    message_kind="reminder",
                    channel="sms",
                    sent=1,
                    segments=1,
                    cost=10,
                )
            )


if __name__ == "__main__":
    main()
