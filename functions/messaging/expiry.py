"""The expiry job's write for one customer: what is due expires, with its ledger entry
and counters, in one transaction."""

from __future__ import annotations

from datetime import datetime

from bemtevi.domain.ledger import expire_due, expired_by_store
from bemtevi.store import customers, sales
from bemtevi.store.models import CustomerRecord
from functions.common.retry import until_written
from functions.messaging.sending import Sender


def expire(sender: Sender, customer: CustomerRecord, now: datetime) -> CustomerRecord | None:
    """Expire a customer's due lots: the ledger entry, the sparse indexes and the
    expired-points counters, in one transaction (read again if the customer changed).
    Returns the customer as written (None if there was nothing to expire); the run's
    report counts the customers (`customers_expired`) and points (`points_expired`)."""
    tenant = sender.tenant
    current: list[CustomerRecord | None] = [customer]
    expired = [0]

    def attempt() -> CustomerRecord | None:
        record = current[0]
        if record is None:
            return None
        day = tenant.today(now).isoformat()
        points, entry = expire_due(
            customers.points_of(record), now, f"expire:job:{day}", record.last_store or "-"
        )
        if entry is None:
            return None
        customers.set_points(record, points, **tenant.points_indexes(now))
        record.updated_at = now
        counters = [
            sales.day_counts(tenant.tenant_id, store_id, day, points_expired=amount)
            for store_id, amount in expired_by_store([entry]).items()
        ]
        ledger = [customers.ledger_record(tenant.tenant_id, record.customer_id, entry)]
        try:
            sales.commit_expiry(record, ledger, counters)
        except sales.Contention:
            current[0] = customers.find_by_id(tenant.tenant_id, record.customer_id)
            raise
        expired[0] = -entry.points
        return record

    written = until_written(attempt)
    if expired[0] > 0:
        sender.outcomes["customers_expired"] += 1
        sender.outcomes["points_expired"] += expired[0]
    return written
