"""The expiry job's write for one customer: what is due expires, with its ledger entry
and counters, in one transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bemtevi.domain.customers import Customer
from bemtevi.domain.ledger import expire_due, expired_by_store
from bemtevi.store import customers, sales
from functions.common.retry import until_written
from functions.messaging.sending import Sender


def expire(sender: Sender, customer: Customer, now: datetime) -> Customer | None:
    """Expire a customer's due lots: the ledger entry, the sparse indexes and the
    expired-points counters, in one transaction (read again if the customer changed).
    Returns the customer as written (None if there was nothing to expire); the run's
    report counts the customers (`customers_expired`) and points (`points_expired`)."""
    tenant = sender.tenant
    current: list[Customer | None] = [customer]
    expired = [0]

    def attempt() -> Customer | None:
        record = current[0]
        if record is None:
            return None
        day = tenant.today(now).isoformat()
        points, entry = expire_due(
            customers.points_of(record), now, f"expire:job:{day}", record.last_store or "-"
        )
        if entry is None:
            return None
        changed = customers.with_points(record, points, **tenant.points_indexes(now))
        changed = replace(changed, updated_at=now)
        counters = [
            sales.day_counts(tenant.tenant_id, store_id, day, points_expired=amount)
            for store_id, amount in expired_by_store([entry]).items()
        ]
        try:
            written = sales.commit_expiry(changed, [entry], counters)
        except sales.Contention:
            current[0] = customers.find_by_id(tenant.tenant_id, record.customer_id)
            raise
        expired[0] = -entry.points
        return written

    written = until_written(attempt)
    if expired[0] > 0:
        sender.outcomes["customers_expired"] += 1
        sender.outcomes["points_expired"] += expired[0]
    return written
