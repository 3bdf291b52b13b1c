"""Items a monthly metrics snapshot reads, against moto server: a network of 40 stores with
1,000,000 sales in September (counters seeded directly, as ingestion keeps them: 40 stores
x 90 days of day counters, two kinds of message counters a day, 1,000 customers with
points in the sparse index). The items read are checked against their formula, which has
no term for sales: stores x days of counters and message counters, the gauge of the older
days, the customers with points and a few configuration items.

(moto scans the whole table for each Query, so this takes about a minute; DynamoDB reads
only the store-day's partition.)

Last line: metric_items_read=<n> sales=<n>
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from local_aws import emulated_aws

STORES = 40
SALES = 1_000_000
CUSTOMERS = 1_000
MESSAGES = (("reminder", "sms", 9), ("welcome", "whatsapp", 35))
AS_OF = date(2026, 10, 1)  # the snapshot of September, as the schedule takes it


def main() -> None:
    with emulated_aws():
        run()


def run() -> None:
    from bemtevi.domain.metrics import Windows
    from bemtevi.store.call_count import counting_dynamodb_calls, counting_items_read
    from functions.reporting import snapshots

    seed("bench", SALES)
    with counting_items_read() as items, counting_dynamodb_calls() as calls:
        result = snapshots.snapshot("bench", AS_OF)
    assert result["network"]["figures"]["sales"] == SALES
    windows = Windows(AS_OF)
    expected = {
        "counters": STORES * len(windows.detail_days),
        "messages": STORES * len(windows.detail_days) * len(MESSAGES),
        "gauge": STORES * len(windows.gauge_days),
        "customers": CUSTOMERS,
        "configuration": STORES + 2,  # the stores, the tenant and its benefit
    }
    read = sum(items.values())
    print(f"month={windows.month} stores={STORES} sales={SALES} calls={dict(calls)}")
    print(" ".join(f"{name}_items={count}" for name, count in expected.items()))
    assert read == sum(expected.values()), (read, expected, dict(items))
    print(f"metric_items_read={read} sales={SALES}")


def seed(tenant_id: str, sales: int) -> None:
    """A tenant, its stores and a benefit through the functions; counters, message
    counters and customers written directly (BatchWriteItem)."""
    from functions.network import benefit_rules, stores

    stores.create_tenant(tenant_id, "Rede Bench")
    store_ids = [f"loja-{n:02d}" for n in range(STORES)]
    for store_id in store_ids:
        stores.add_store(tenant_id, store_id, store_id)
    benefit_rules.add_benefit(tenant_id, "dez", "R$ 10", 100, discount=1000)
    _counters(tenant_id, store_ids, sales)
    _customers(tenant_id, store_ids)


def _counters(tenant_id: str, stores: list[str], sales: int) -> None:
    from bemtevi.domain.metrics import Windows
    from bemtevi.store.models import DayCounterRecord, MessageCounterRecord

    windows = Windows(AS_OF)
    month_days = set(windows.month_days)
    cells = [(store, day) for store in stores for day in windows.month_days]
    share, extra = divmod(sales, len(cells))
    with DayCounterRecord.batch_write() as batch:
        for n, (store, day) in enumerate(cells):
            count = share + (1 if n < extra else 0)
            batch.save(_day(DayCounterRecord, tenant_id, store, day, count))
        for store in stores:
            for day in windows.active_days:
                if day not in month_days:
                    batch.save(_day(DayCounterRecord, tenant_id, store, day, 0))
    with MessageCounterRecord.batch_write() as batch:
        for store, day in cells:
            for kind, channel, cost in MESSAGES:
                batch.save(
                    MessageCounterRecord(
                        *MessageCounterRecord.keys(
                            tenant_id, store, day.isoformat(), kind, channel
                        ),
                        store_id=store,
                        day=day.isoformat(),
                        message_kind=kind,
                        channel=channel,
                        sent=10,
                        segments=10,
                        cost=10 * cost,
                    )
                )


def _day(model, tenant_id: str, store: str, day: date, sales: int):
    return model(
        *model.keys(tenant_id, store, day.isoformat()),
        store_id=store,
        day=day.isoformat(),
        sales=sales,
        identified_sales=sales * 7 // 10,
        earning_sales=sales * 7 // 10,
        returning_sales=sales // 2,
        revenue=sales * 15_000,
        gross=sales * 15_500,
        points_issued=sales * 105,
        new_customers=sales // 20,
        redemptions=sales // 25,
        points_redeemed=sales // 25 * 100,
        benefit_value=sales // 25 * 1000,
        redeeming_purchase_total=sales // 25 * 18_000,
        last_purchases=sales // 40 if sales else 3,
    )


def _customers(tenant_id: str, stores: list[str]) -> None:
    from dataclasses import replace

    from bemtevi.domain.ledger import Lot, Points
    from bemtevi.store import customers

    earned = datetime(2026, 9, 15, tzinfo=UTC)
    with customers.CustomerRecord.batch_write() as batch:
        for n in range(CUSTOMERS):
            store = stores[n % len(stores)]
            customer = customers.new_customer(tenant_id, f"c{n:06d}", earned)
            lot = Lot(
                f"{store}:v{n}",
                store,
                f"v{n}",
                earned,
                earned + timedelta(days=180),
                earned,
                150,
                150,
            )
            customer = customers.with_points(customer, Points((lot,)), 100)
            batch.save(customers.record_of(replace(customer, last_store=store)))


if __name__ == "__main__":
    main()
