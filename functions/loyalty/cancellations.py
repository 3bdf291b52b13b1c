"""POST /v1/redemptions/{id}/cancel, after the redemption is read: the points its lots
gave go back to them (what expired meanwhile expires again at once), and its
compensation is filed with the opposite sign."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from bemtevi.domain import spending
from bemtevi.domain.compensation import Filing
from bemtevi.domain.customers import Customer
from bemtevi.domain.operations import RecordedRedemption
from bemtevi.store import benefit_counts, customers, sales
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.loyalty import filing


def plan(
    caller: StoreIdentity,
    tenant: tenancy.Tenant,
    record: RecordedRedemption,
    customer: Customer,
    filed: Filing,
    now: datetime,
) -> tuple[sales.Write, dict]:
    """The decision (`bemtevi.domain.spending`), the records to write and the answer."""
    redemption_id = record.redemption_id
    consumed = [spending.consumed_from_json(item) for item in json.loads(record.consumed)]
    decided = spending.cancellation(
        customers.points_of(customer), consumed, caller.store_id, redemption_id, now
    )
    customer = customers.with_points(customer, decided.points, **tenant.points_indexes(now))
    customer = replace(customer, updated_at=now)
    parts = {store: int(amount) for store, amount in record.parts.items()}
    own = parts.pop(caller.store_id, 0)
    body = answer(redemption_id, customer.customer_id, decided, now)
    record = replace(record, cancelled_at=now, cancel_response=json.dumps(body, ensure_ascii=False))
    day = tenant.today(now).isoformat()
    write = sales.Write(
        record=record,
        record_is_new=False,
        counter=sales.day_counts(
            caller.tenant_id,
            caller.store_id,
            day,
            redemptions_cancelled=1,
            points_restored=decided.returned - decided.expired_again,
            benefit_value_cancelled=int(record.value),
            redeeming_purchase_cancelled=int(record.purchase_total),
        ),
        customer=customer,
        entries=list(decided.entries),
        updates=filing.pair_updates(
            caller.tenant_id, filed, caller.store_id, parts, own, decided.points_by_store, -1
        ),
        checks=[filing.still_open(caller.tenant_id, filed.period)],
    )
    write.counter[1].extend(benefit_counts.redemption_actions(record.benefit_id, record.value, -1))
    sales.count_expired(write, caller.tenant_id, day, list(decided.entries))
    return write, body


def answer(
    redemption_id: str, customer_id: str, decided: spending.Cancellation, now: datetime
) -> dict:
    return {
        "redemption_id": redemption_id,
        "customer_id": customer_id,
        "points_returned": decided.returned,
        "points_expired": decided.expired_again,
        "balance": decided.points.balance,
        "available": decided.points.available(now),
    }
