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
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.domain.benefits import PRODUCT, REASONS, refusal
from bemtevi.domain.compensation import Filing, cancellation_filing, filing_for, payables
from bemtevi.domain.ledger import Lot, expire_due, give_back, redeem
from bemtevi.domain.months import next_month
from bemtevi.errors import NotFound
from bemtevi.store import compensation, customers, network, sales
from bemtevi.store.models import BenefitsRecord, PeriodRecord, RedemptionRecord
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.loyalty.returns import Unprocessable
from functions.loyalty.sales import Answer, fingerprint_of, occurred_at_from, replay

_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# one compensation line per origin store must fit DynamoDB's 100 actions a transaction
MAX_ORIGIN_STORES = 90
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
    keys = RedemptionRecord.keys(caller.tenant_id, caller.store_id, request["redemption_id"])
    month = now.astimezone(tenant.zone).strftime("%Y-%m")
    rules = network.benefits_keys(caller.tenant_id)
    also: sales.Also = [*_markers(caller.tenant_id, month), (BenefitsRecord, rules)]

    def attempt() -> Answer:
        snapshot = sales.read_with_customer(
            RedemptionRecord, keys, caller.tenant_id, who, named.get("customer_id"), also
        )
        if snapshot.record is not None:
            return replay(snapshot.record, fingerprint, "redemption_id")
        fresh = tenancy.with_fresh_benefits(tenant, snapshot.also.pop(rules))
        is_closed = compensation.closed_reader(caller.tenant_id, _closed(snapshot.also))
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
    customer = snapshot.resolution.customer if snapshot.resolution else None
    if customer is None:
        raise Unprocessable("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
    benefit = next((b for b in tenant.benefits if b.benefit_id == request["benefit_id"]), None)
    if benefit is None:
        raise Unprocessable(
            "benefit_inactive", "Benefício não encontrado ou desativado.", "benefit_id"
        )
    points, expired = expire_due(
        customers.points_of(customer),
        now,
        f"expire:redeem:{caller.store_id}:{request['redemption_id']}",
        caller.store_id,
    )
    reason = refusal(
        benefit,
        points.available(now),
        caller.store_id,
        tenant.today(now),
        request["purchase_total"],
    )
    if reason:
        raise Unprocessable(reason, REASONS[reason], FIELDS[reason])
    redemption_id = request["redemption_id"]
    spent = redeem(
        points, benefit.points, now, f"redeem:{caller.store_id}:{redemption_id}", caller.store_id
    )
    if spent is None:
        raise Unprocessable("insufficient_points", REASONS["insufficient_points"], "customer")
    after, entry, consumed = spent
    by_store: Counter[str] = Counter()
    for lot, take in consumed:
        by_store[lot.store_id] += take
    if len(by_store) > MAX_ORIGIN_STORES:
        raise Unprocessable(
            "too_many_origin_stores",
            f"Pontos de mais de {MAX_ORIGIN_STORES} lojas numa troca só: troque em partes.",
            "benefit_id",
        )
    owed, own = payables(benefit.value, dict(by_store), caller.store_id)
    customers.set_points(customer, after, **tenant.points_indexes(now))
    customer.updated_at = now
    body = {
        "redemption_id": redemption_id,
        "customer_id": customer.customer_id,
        "benefit_id": benefit.benefit_id,
        "kind": benefit.kind,
        "points_used": benefit.points,
        "discount": benefit.value if benefit.kind != PRODUCT else 0,
        "product": {"sku": benefit.sku} if benefit.kind == PRODUCT else None,
        "value": benefit.value,
        "balance": after.balance,
        "available": after.available(now),
    }
    record = RedemptionRecord(
        *RedemptionRecord.keys(caller.tenant_id, caller.store_id, redemption_id),
        tenant_id=caller.tenant_id,
        store_id=caller.store_id,
        redemption_id=redemption_id,
        fingerprint=fingerprint,
        customer_id=customer.customer_id,
        benefit_id=benefit.benefit_id,
        points=benefit.points,
        value=benefit.value,
        purchase_total=request["purchase_total"],
        occurred_at=occurred_at,
        month=filed.origin,
        period=filed.period if filed.late else None,
        consumed=json.dumps([_lot_json(lot, take) for lot, take in consumed]),
        parts={**owed, caller.store_id: own},
        sale_id=request.get("sale_id"),
        response=json.dumps(body, ensure_ascii=False),
        recorded_at=now,
    )
    day = tenant.today(now).isoformat()
    write = sales.Write(
        record=record,
        record_is_new=True,
        counter=sales.day_counts(
            caller.tenant_id,
            caller.store_id,
            day,
            redemptions=1,
            points_redeemed=benefit.points,
            benefit_value=benefit.value,
            redeeming_purchase_total=request["purchase_total"],
        ),
        customer=customer,
        ledger=[
            customers.ledger_record(caller.tenant_id, customer.customer_id, item)
            for item in (expired, entry)
            if item is not None
        ],
        updates=_compensation(caller.tenant_id, filed, caller.store_id, owed, own, by_store, +1),
        checks=[_still_open(caller.tenant_id, filed.period)],
    )
    sales.count_expired(write, caller.tenant_id, day, [expired])
    return write, body


def cancel_redemption(
    caller: StoreIdentity, redemption_id: str, now: datetime | None = None
) -> Answer:
    if not _ID.match(redemption_id):
        raise Unprocessable("invalid_pattern", "redemption_id inválido.", "redemption_id")
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    keys = RedemptionRecord.keys(caller.tenant_id, caller.store_id, redemption_id)

    def attempt() -> Answer:
        record = sales.get_record(RedemptionRecord, keys)
        if record is None:
            raise NotFound(
                "redemption_not_found", "Troca não encontrada nesta loja.", "redemption_id"
            )
        if record.cancelled_at is not None:
            return Answer(json.loads(record.cancel_response), 200, replayed=True)
        filed = Filing(record.period or record.month, record.month)
        customer, markers = sales.read_customer_with(
            caller.tenant_id, record.customer_id, _markers(caller.tenant_id, filed.period)
        )
        is_closed = compensation.closed_reader(caller.tenant_id, _closed(markers))
        filed = cancellation_filing(filed, is_closed)
        consumed = [_lot_from_json(item) for item in json.loads(record.consumed)]
        current, expired = expire_due(
            customers.points_of(customer),
            now,
            f"expire:unredeem:{caller.store_id}:{redemption_id}",
            caller.store_id,
        )
        restored, entries = give_back(
            current,
            consumed,
            now,
            f"unredeem:{caller.store_id}:{redemption_id}",
            caller.store_id,
        )
        customers.set_points(customer, restored, **tenant.points_indexes(now))
        customer.updated_at = now
        parts = {store: int(amount) for store, amount in record.parts.as_dict().items()}
        own = parts.pop(caller.store_id, 0)
        by_store: Counter[str] = Counter()
        for lot, take in consumed:
            by_store[lot.store_id] += take
        entries = [entry for entry in (expired, *entries) if entry is not None]
        returned = sum(take for _, take in consumed)
        expired_again = -sum(e.points for e in entries[-1:] if e.entry_id.endswith(":expired"))
        body = {
            "redemption_id": redemption_id,
            "customer_id": customer.customer_id,
            "points_returned": returned,
            "points_expired": expired_again,
            "balance": restored.balance,
            "available": restored.available(now),
        }
        record.cancelled_at = now
        record.cancel_response = json.dumps(body, ensure_ascii=False)
        day = tenant.today(now).isoformat()
        write = sales.Write(
            record=record,
            record_is_new=False,
            counter=sales.day_counts(
                caller.tenant_id,
                caller.store_id,
                day,
                redemptions_cancelled=1,
                points_restored=returned - expired_again,
                benefit_value_cancelled=int(record.value),
                redeeming_purchase_cancelled=int(record.purchase_total),
            ),
            customer=customer,
            ledger=[
                customers.ledger_record(caller.tenant_id, customer.customer_id, e) for e in entries
            ],
            updates=_compensation(
                caller.tenant_id, filed, caller.store_id, parts, own, by_store, -1
            ),
            checks=[_still_open(caller.tenant_id, filed.period)],
        )
        sales.count_expired(write, caller.tenant_id, day, entries)
        sales.commit(write)
        return Answer(body, 200)

    return until_written(attempt)


def _markers(tenant_id: str, month: str) -> list[tuple[type[PeriodRecord], tuple[str, str]]]:
    """The closing markers of a month and the next, read with the operation's data."""
    return [
        (PeriodRecord, compensation.period_keys(tenant_id, period))
        for period in (month, next_month(month))
    ]


def _closed(found: dict) -> dict[str, bool]:
    return {_keys_month(keys): item is not None for keys, item in found.items()}


def _keys_month(keys: tuple[str, str]) -> str:
    return keys[0].rsplit("#", 1)[1]


def _still_open(tenant_id: str, period: str) -> tuple:
    """The ConditionCheck that files the compensation in `period` only while it is
    open: a month closed meanwhile fails the transaction, which reads again."""
    return PeriodRecord, compensation.period_keys(tenant_id, period), compensation.open_condition()


def _compensation(
    tenant_id: str,
    filed: Filing,
    receiver: str,
    owed: dict[str, int],
    own: int,
    points_by_store: Counter,
    sign: int,
) -> list:
    """The pair items of the filing (the period's own, or its late items), by ADD."""
    amounts = {payer: owed.get(payer, 0) for payer in points_by_store}
    amounts[receiver] = own
    return [
        compensation.pair_update(
            tenant_id,
            filed,
            payer,
            receiver,
            sign * amount,
            sign * points_by_store.get(payer, 0),
            sign,
        )
        for payer, amount in amounts.items()
    ]


def _lot_json(lot: Lot, take: int) -> dict:
    return {
        "lot_id": lot.lot_id,
        "store_id": lot.store_id,
        "sale_id": lot.sale_id,
        "earned_at": lot.earned_at.isoformat(),
        "expires_at": lot.expires_at.isoformat(),
        "pending_until": lot.pending_until.isoformat(),
        "amount": lot.amount,
        "take": take,
    }


def _lot_from_json(item: dict) -> tuple[Lot, int]:
    lot = Lot(
        lot_id=item["lot_id"],
        store_id=item["store_id"],
        sale_id=item["sale_id"],
        earned_at=datetime.fromisoformat(item["earned_at"]),
        expires_at=datetime.fromisoformat(item["expires_at"]),
        pending_until=datetime.fromisoformat(item["pending_until"]),
        amount=item["amount"],
        remaining=0,
    )
    return lot, item["take"]
