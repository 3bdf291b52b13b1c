"""POST /v1/redemptions and /v1/redemptions/{id}/cancel: spend points on a benefit at the
till, and give them back.

A redemption consumes the lots that expire first. Its value is split over the origin
stores of the consumed points (largest remainder, so the parts add up exactly), and the
part owed by each other store is added to the month's compensation lines, all in the
redemption's own transaction: one TransactGet and one TransactWrite. The TransactGet
also reads the tenant's benefit rules, so the redemption is judged by the rule as it is
now, not as a warm Lambda cached it.

Closed months: the TransactGet also reads the closing markers of the month and the next,
and the TransactWrite checks that the period it files into is still open. A redemption,
or a cancellation, whose month was closed goes into the next open period as a late item.

Many lots: a customer's live lots live in the customer item itself, so a redemption that
consumes 150 lots changes one item, and the transaction holds the redemption, the
customer, the ledger entry, one compensation line per origin store and the day counters,
far below DynamoDB's 100 actions. It is all or nothing by construction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.domain import spending
from bemtevi.domain.benefits import PRODUCT, REASONS, Benefit
from bemtevi.domain.compensation import Filing, cancellation_filing, filing_for
from bemtevi.domain.customers import Customer
from bemtevi.domain.operations import RecordedRedemption
from bemtevi.errors import NotFound
from bemtevi.store import benefit_counts, compensation, customers, network, sales
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.loyalty import cancellations, filing
from functions.loyalty.returns import Unprocessable
from functions.loyalty.sales import Answer, fingerprint_of, occurred_at_from, replay

_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
FIELDS = {
    "benefit_inactive": "benefit_id",
    "store_not_allowed": "benefit_id",
    "insufficient_points": "customer",
    "below_minimum_purchase": "purchase_total",
}


def redeem_benefit(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> Answer:
    request = contract.validated("RedemptionRequest", payload)
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    occurred_at = occurred_at_from(request["occurred_at"], now, "occurred_at")
    named = request["customer"]
    who = None
    if "customer_id" not in named:
        person = people.person_from(named, tenant.today(now), "customer")
        who = customers.identity_for(tenant.pepper, person.cpf, person.phone)
    fingerprint = fingerprint_of(request)
    month = now.astimezone(tenant.zone).strftime("%Y-%m")
    rules = network.benefits_read(caller.tenant_id)
    also: sales.Also = [*filing.markers(caller.tenant_id, month), rules]

    def attempt() -> Answer:
        snapshot = sales.read_for_redemption(
            caller.tenant_id,
            caller.store_id,
            request["redemption_id"],
            who,
            named.get("customer_id"),
            also,
        )
        if snapshot.record is not None:
            return replay(snapshot.record, fingerprint, "redemption_id")
        fresh = tenancy.with_fresh_benefits(tenant, snapshot.also.pop(rules[1]))
        is_closed = compensation.closed_reader(caller.tenant_id, filing.closed(snapshot.also))
        filed = filing_for(month, is_closed)
        write, body = _plan(caller, fresh, request, occurred_at, snapshot, fingerprint, now, filed)
        sales.commit(write)
        return Answer(body, 201)

    return until_written(attempt)


def _plan(
    caller: StoreIdentity,
    tenant: tenancy.Tenant,
    request: dict,
    occurred_at: datetime,
    snapshot: sales.Snapshot,
    fingerprint: str,
    now: datetime,
    filed: Filing,
) -> tuple[sales.Write, dict]:
    """The decision (`bemtevi.domain.spending`), the records to write and the answer."""
    customer = snapshot.resolution.customer if snapshot.resolution else None
    if customer is None:
        raise Unprocessable("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
    benefit = next((b for b in tenant.benefits if b.benefit_id == request["benefit_id"]), None)
    if benefit is None:
        raise Unprocessable(
            "benefit_inactive", "Benefício não encontrado ou desativado.", "benefit_id"
        )
    decided = spending.redemption(
        benefit,
        customers.points_of(customer),
        caller.store_id,
        request["redemption_id"],
        request["purchase_total"],
        tenant.today(now),
        now,
    )
    if isinstance(decided, str):
        raise _refused(decided)
    customer = customers.with_points(customer, decided.points, **tenant.points_indexes(now))
    customer = replace(customer, updated_at=now)
    body = redemption_answer(request["redemption_id"], customer.customer_id, benefit, decided, now)
    record = _redemption_record(caller, request, occurred_at, filed, benefit, decided)(
        customer_id=customer.customer_id,
        fingerprint=fingerprint,
        response=json.dumps(body, ensure_ascii=False),
        recorded_at=now,
    )
    write = _redemption_write(caller, tenant, record, customer, filed, decided, now)
    return write, body


def _redemption_write(
    caller: StoreIdentity,
    tenant: tenancy.Tenant,
    record: RecordedRedemption,
    customer: Customer,
    filed: Filing,
    decided: spending.Redemption,
    now: datetime,
) -> sales.Write:
    """The redemption, the customer, the ledger, the counters and the compensation."""
    day = tenant.today(now).isoformat()
    write = sales.Write(
        record=record,
        record_is_new=True,
        counter=sales.day_counts(
            caller.tenant_id,
            caller.store_id,
            day,
            redemptions=1,
            points_redeemed=int(record.points),
            benefit_value=int(record.value),
            redeeming_purchase_total=int(record.purchase_total),
        ),
        customer=customer,
        entries=list(decided.entries),
        updates=filing.redemption_updates(caller.tenant_id, filed, caller.store_id, decided, +1),
        checks=[filing.still_open(caller.tenant_id, filed.period)],
    )
    write.counter[1].extend(benefit_counts.redemption_actions(record.benefit_id, record.value, +1))
    sales.count_expired(write, caller.tenant_id, day, [decided.expired])
    return write


def _refused(reason: str) -> Unprocessable:
    if reason == spending.TOO_MANY_ORIGIN_STORES:
        return Unprocessable(
            reason,
            f"Pontos de mais de {spending.MAX_ORIGIN_STORES} lojas numa troca só: "
            "troque em partes.",
            "benefit_id",
        )
    return Unprocessable(reason, REASONS[reason], FIELDS[reason])


def redemption_answer(
    redemption_id: str,
    customer_id: str,
    benefit: Benefit,
    decided: spending.Redemption,
    now: datetime,
) -> dict:
    return {
        "redemption_id": redemption_id,
        "customer_id": customer_id,
        "benefit_id": benefit.benefit_id,
        "kind": benefit.kind,
        "points_used": benefit.points,
        "discount": benefit.value if benefit.kind != PRODUCT else 0,
        "product": {"sku": benefit.sku} if benefit.kind == PRODUCT else None,
        "value": benefit.value,
        "balance": decided.points.balance,
        "available": decided.points.available(now),
    }


def _redemption_record(
    caller: StoreIdentity,
    request: dict,
    occurred_at: datetime,
    filed: Filing,
    benefit: Benefit,
    decided: spending.Redemption,
) -> Callable[..., RecordedRedemption]:
    """The redemption as recorded, but for what the caller adds: its customer, the
    payload's fingerprint, the answer and the time it was recorded."""
    redemption_id = request["redemption_id"]
    return partial(
        RecordedRedemption,
        tenant_id=caller.tenant_id,
        store_id=caller.store_id,
        redemption_id=redemption_id,
        benefit_id=benefit.benefit_id,
        points=benefit.points,
        value=benefit.value,
        purchase_total=request["purchase_total"],
        occurred_at=occurred_at,
        month=filed.origin,
        period=filed.period if filed.late else None,
        consumed=json.dumps([spending.consumed_json(lot, take) for lot, take in decided.consumed]),
        parts={**decided.owed, caller.store_id: decided.own},
        sale_id=request.get("sale_id"),
    )


def cancel_redemption(
    caller: StoreIdentity, redemption_id: str, now: datetime | None = None
) -> Answer:
    if not _ID.match(redemption_id):
        raise Unprocessable("invalid_pattern", "redemption_id inválido.", "redemption_id")
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)

    def attempt() -> Answer:
        record = sales.get_redemption(caller.tenant_id, caller.store_id, redemption_id)
        if record is None:
            raise NotFound(
                "redemption_not_found", "Troca não encontrada nesta loja.", "redemption_id"
            )
        if record.cancelled_at is not None:
            return Answer(json.loads(str(record.cancel_response)), 200, replayed=True)
        filed = Filing(record.period or record.month, record.month)
        customer, markers = sales.read_customer_with(
            caller.tenant_id, record.customer_id, filing.markers(caller.tenant_id, filed.period)
        )
        is_closed = compensation.closed_reader(caller.tenant_id, filing.closed(markers))
        filed = cancellation_filing(filed, is_closed)
        write, body = cancellations.plan(caller, tenant, record, customer, filed, now)
        sales.commit(write)
        return Answer(body, 200)

    return until_written(attempt)
