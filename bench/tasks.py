"""Items read by the daily follow-up lists (issue 16), against moto server: a tenant of
100,000 customers of whom 2% are due today (half bought yesterday, half have a birthday
today; the rest bought 3 weeks ago and were born on another day). The lists job finds
them through the sparse `bought` and `birthday` indexes, so the items read per list item
made stay near 1 whatever the size of the tenant (target <= 1.2); the one-off reads (the
tenant, the sales team) are counted too.

moto copies every table a transaction touches (each list item is a transaction with its
counter and portal link); this benchmark skips that copy (it measures reads). The size:
the first argument, or BEMTEVI_BENCH_CUSTOMERS (the reads do not depend on it: only the
due customers are read).

Last line: tasks_read_ratio=<items read / list items made>
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta

from local_aws import emulated_aws, skip_table_copies

CUSTOMERS = int(
    sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BEMTEVI_BENCH_CUSTOMERS", 100_000)
)
DUE_EVERY = 50  # 2 %
TODAY = date(2026, 12, 5)
YESTERDAY_NOON = datetime(2026, 12, 4, 15, tzinfo=UTC)  # 12:00 in São Paulo


def main() -> None:
    skip_table_copies()
    with emulated_aws():
        run()


def run() -> None:
    from bemtevi.store.call_count import counting_items_read
    from functions.network import stores
    from functions.team import sellers, tasks

    stores.create_tenant("bench", "Rede Bench")
    stores.add_store("bench", "centro", "Centro")
    for code in ("V1", "V2", "V3"):
        sellers.add_seller("bench", "centro", code, f"Vendedor {code}")
    due = seed_customers()
    with counting_items_read() as reads:
        result = tasks.run("bench", TODAY, cap=10_000)
    made = result["made"]
    assert made == due, (result, due)
    read = sum(reads.values())
    print(f"customers={CUSTOMERS} due={due} made={made}")
    print(f"items_read={dict(reads)}")
    print(f"tasks_read_ratio={read / made:.3f}")


def seed_customers() -> int:
    """Customers written straight into the table with the attributes a sale sets."""
    from dataclasses import replace

    from bemtevi.store.customers import new_customer, record_of
    from bemtevi.store.models import CustomerRecord

    due = 0
    with CustomerRecord.batch_write() as batch:
        for n in range(CUSTOMERS):
            kind = n % DUE_EVERY
            bought = YESTERDAY_NOON if kind == 0 else YESTERDAY_NOON - timedelta(days=20)
            birthday = "1990-12-05" if kind == 1 else "1990-06-15"
            due += kind in (0, 1)
            customer = replace(
                new_customer("bench", f"c{n:07d}", bought),
                phone=f"+55119{n:08d}",
                name=f"Cliente {n}",
                birthday=birthday,
                last_store="centro",
                last_seller=f"V{n % 4}",
                last_purchase_at=bought,
                total_spent=n % 1000 * 100,
                visits=1,
            )
            batch.save(record_of(customer))
    return due


if __name__ == "__main__":
    main()
