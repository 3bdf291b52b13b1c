"""Items read by the message jobs, against moto server: a tenant of 100,000 customers of
whom 5% are due (can redeem now, and have points expiring within the warning period).
The jobs find them through the sparse indexes, so the items read per due customer stay
near 1 whatever the size of the tenant (target <= 1.1). The expiry job reads the
customers whose expiring points entered the warning period (the `warning` index).

It also counts the AWS calls of every service (DynamoDB, SNS, SES, SQS...) made by the
clients of bemtevi.aws, through botocore's `before-call.*.*` events, per message sent
(target <= 3): the SMS go through the real SNS adapter, on moto.

moto copies every table a transaction touches (to roll back); at 100,000 items that
takes seconds per transaction, so this benchmark skips that copy. It measures reads,
not rollbacks. The size: the first argument, or BEMTEVI_BENCH_CUSTOMERS (for a quicker
run; the full size takes about 20 minutes).

Last line: reminder_read_ratio=<x> expiry_read_ratio=<x> calls_per_message=<x>
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

from local_aws import emulated_aws, skip_table_copies

CUSTOMERS = int(
    sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BEMTEVI_BENCH_CUSTOMERS", 100_000)
)
DUE_SHARE = 0.05
NOW = datetime(2026, 12, 5, 13, tzinfo=UTC)  # 10:00 in São Paulo, inside sending hours


def main() -> None:
    skip_table_copies()
    with emulated_aws():
        run()


def run() -> None:
    from bemtevi.channels.email import SesEmail
    from bemtevi.channels.sms import SnsSms
    from bemtevi.store.call_count import counting_aws_calls, counting_items_read
    from functions.messaging.automatic import run_job
    from functions.messaging.pacing import Pacer
    from functions.network import benefit_rules, stores

    stores.create_tenant("bench", "Rede Bench")
    stores.add_store("bench", "centro", "Centro")
    benefit_rules.add_benefit("bench", "dez", "R$ 10", 100, discount=1000)
    due = seed_customers()
    channels = {"sms": SnsSms(), "email": SesEmail("nao-responda@bemtevi.com.br")}
    unpaced = Pacer(sleep=lambda seconds: None)  # the bench counts calls, it does not wait
    with counting_aws_calls() as calls:
        with counting_items_read() as reminder_reads:
            reminder = run_job("reminder", "bench", NOW, channels=channels, pacer=unpaced)
        with counting_items_read() as expiry_reads:
            expiry = run_job("expiry", "bench", NOW, channels=channels, pacer=unpaced)
    assert reminder["sent"] == due, reminder
    assert expiry["sent"] == due, expiry
    reminder_ratio = sum(reminder_reads.values()) / due
    expiry_ratio = sum(expiry_reads.values()) / due
    calls_per_message = sum(calls.values()) / (reminder["sent"] + expiry["sent"])
    print(f"customers={CUSTOMERS} due={due}")
    print(f"reminder: sent={reminder['sent']} items_read={dict(reminder_reads)}")
    print(f"expiry: sent={expiry['sent']} items_read={dict(expiry_reads)}")
    print(f"aws calls: {dict(calls)}")
    print(
        f"reminder_read_ratio={reminder_ratio:.3f} expiry_read_ratio={expiry_ratio:.3f}"
        f" calls_per_message={calls_per_message:.3f}"
    )


def seed_customers() -> int:
    """Customers written straight into the table, with the index attributes a sale
    would have set; every twentieth is due."""
    from dataclasses import replace

    from bemtevi.domain.ledger import Lot, Points
    from bemtevi.store.customers import new_customer, record_of, with_points
    from bemtevi.store.models import CustomerRecord

    due = 0
    with CustomerRecord.batch_write() as batch:
        for n in range(CUSTOMERS):
            is_due = n % round(1 / DUE_SHARE) == 0
            due += is_due
            earned = NOW - timedelta(days=170 if is_due else 80)
            lot = Lot(
                lot_id=f"centro:v{n}",
                store_id="centro",
                sale_id=f"v{n}",
                earned_at=earned,
                expires_at=earned + timedelta(days=180),
                pending_until=earned,
                amount=150 if is_due else 60,
                remaining=150 if is_due else 60,
            )
            customer = replace(
                new_customer("bench", f"c{n:07d}", earned),
                phone=f"+55119{n:08d}",
                name=f"Cliente {n}",
                last_store="centro",
            )
            customer = with_points(customer, Points(lots=(lot,)), 100, warning_days=15, now=earned)
            batch.save(record_of(customer))
    return due


if __name__ == "__main__":
    main()
