"""POST /v1/sales: record a sale and credit its points, exactly once.

One TransactGet reads the sale (a replay stops there) and the customer; one TransactWrite
writes the sale, the customer's new lot and aggregates, the ledger entry and the store's
day counters, on condition that nothing changed in between (else read again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.domain.ledger import Lot, Points, earn, earned_into, expire_due
from bemtevi.domain.program import ItemValue, expires_at, pending_until, points_for
from bemtevi.errors import Conflict, InvalidInput
from bemtevi.store import customers, sales
from bemtevi.store.models import CustomerRecord, NfceRecord, RedemptionRecord, SaleRecord
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.messaging.sending import queue_welcome
from functions.network.benefit_rules import redeemable_now

FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    body: dict
    status: int
    replayed: bool = False


def record_sale(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> Answer:
    sale = contract.validated("SaleRequest", payload)
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    occurred_at = occurred_at_from(sale["occurred_at"], now, "occurred_at")
    if sale["discount"] > sale["total"]:
        raise InvalidInput("discount_exceeds_total", "O desconto é maior que o total.", "discount")
    person = None
    if "customer" in sale:
        today = tenant.today(now)
        person = people.person_from(sale["customer"], today, "customer")
    who = customers.identity_for(tenant.pepper, person.cpf, person.phone) if person else None
    fingerprint = fingerprint_of(sale)

    def attempt() -> Answer:
        snapshot = sales.read_for_sale(caller.tenant_id, caller.store_id, sale["sale_id"], who)
        if snapshot.record is not None:
            return replay(snapshot.record, fingerprint)
        write, body = _plan(
            caller, tenant, sale, occurred_at, person, who, snapshot, fingerprint, now
        )
        try:
            sales.commit(write)
        except sales.NfceTaken:
            raise Conflict(
                "nfce_key_used", "Esta chave de NFC-e já foi usada em outra venda.", "nfce_key"
            ) from None
        return Answer(body, 201)

    return until_written(attempt)


def replay(
    record: SaleRecord | RedemptionRecord, fingerprint: str, field: str = "sale_id"
) -> Answer:
    """The first answer again; the same id with another payload is a conflict."""
    if record.fingerprint != fingerprint:
        raise Conflict(
            f"{field}_reused",
            f"Este {field} já foi usado nesta loja com outros dados.",
            field,
        )
    return Answer(json.loads(record.response), 201, replayed=True)


def occurred_at_from(text: str, now: datetime, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput("invalid_format", "Data e hora inválidas.", field) from None
    if moment.tzinfo is None:
        raise InvalidInput("missing_offset", "Informe o fuso (ex.: -03:00).", field)
    if moment < EARLIEST:
        raise InvalidInput("occurred_too_early", "Data anterior a 2000: confira o PDV.", field)
    if moment - now > FUTURE_TOLERANCE:
        raise InvalidInput(
            "occurred_in_future",
            "A data está mais de 5 minutos no futuro: confira o relógio.",
            field,
        )
    return moment.astimezone(UTC)


def fingerprint_of(validated: dict) -> str:
    canonical = json.dumps(validated, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def apply_person(record: CustomerRecord, person: people.Person, who: customers.Identity) -> None:
    """What the request says about the customer overwrites what was known; what it leaves
    out is kept."""
    for name in ("cpf", "phone", "name", "email", "birthday"):
        value = getattr(person, name)
        if value is not None:
            setattr(record, name, value)
    if who.phone_hash:
        record.phone_hash = who.phone_hash


def _plan(
    caller: StoreIdentity,
    tenant: tenancy.Tenant,
    sale: dict,
    occurred_at: datetime,
    person: people.Person | None,
    who: customers.Identity | None,
    snapshot: sales.Snapshot,
    fingerprint: str,
    now: datetime,
) -> tuple[sales.Write, dict]:
    store_id, sale_id = caller.store_id, sale["sale_id"]
    net_total = sale["total"] - sale["discount"]
    seller = sale.get("seller", {}).get("code")
    day = tenant.today(occurred_at).isoformat()
    resolution = snapshot.resolution
    customer = None
    ledger: list = []
    expired = welcome = None
    first_credit = False
    points_earned, lot_id = 0, None
    before = after = None
    is_new_customer = resolution is not None and resolution.customer is None
    if person is not None and who is not None and resolution is not None:
        customer = resolution.customer or customers.new_customer(
            caller.tenant_id, resolution.customer_id, now
        )
        apply_person(customer, person, who)
        items = [
            ItemValue(item["quantity"] * item["unit_price"], item.get("category"))
            for item in sale.get("items", [])
        ]
        points_earned = points_for(tenant.program, store_id, net_total, items)
        points = customers.points_of(customer)
        if points_earned:
            lot_id = f"{store_id}:{sale_id}"
            lot = Lot(
                lot_id=lot_id,
                store_id=store_id,
                sale_id=sale_id,
                earned_at=occurred_at,
                expires_at=expires_at(tenant.program, occurred_at),
                pending_until=pending_until(tenant.program, occurred_at),
                amount=points_earned,
                remaining=points_earned,
            )
            points, entry = earn(points, lot, f"earn:{lot_id}", tenant.zone)
            lot_id = earned_into(entry)
            ledger.append(customers.ledger_record(caller.tenant_id, customer.customer_id, entry))
            if customer.first_credit_at is None:
                customer.first_credit_at = now
                first_credit = True
        # what is due expires with any write (a sale posted after its points' validity
        # earns them already expired); the daily job does the rest
        points, expired = expire_due(points, now, f"expire:{store_id}:{sale_id}", store_id)
        if expired is not None:
            ledger.append(customers.ledger_record(caller.tenant_id, customer.customer_id, expired))
        customers.set_points(customer, points, **tenant.points_indexes(now))
        before = customers.purchases_of(customer)
        after = people.with_purchase(before, occurred_at, net_total, store_id, seller)
        customers.set_purchases(customer, after)
        customer.updated_at = now
        if first_credit:
            welcome = queue_welcome(tenant, customer, now, points_earned)
    body = sale_answer(tenant, store_id, sale_id, customer, points_earned, now)
    record = SaleRecord(
        *SaleRecord.keys(caller.tenant_id, store_id, sale_id),
        tenant_id=caller.tenant_id,
        store_id=store_id,
        sale_id=sale_id,
        fingerprint=fingerprint,
        occurred_at=occurred_at,
        total=sale["total"],
        discount=sale["discount"],
        net_total=net_total,
        customer_id=customer.customer_id if customer else None,
        seller_code=seller,
        points_earned=points_earned,
        lot_id=lot_id,
        nfce_key=sale.get("nfce_key"),
        response=json.dumps(body, ensure_ascii=False),
        recorded_at=now,
    )
    nfce = (
        NfceRecord(
            *NfceRecord.keys(caller.tenant_id, sale["nfce_key"]),
            store_id=store_id,
            sale_id=sale_id,
        )
        if sale.get("nfce_key")
        else None
    )
    write = sales.Write(
        record=record,
        record_is_new=True,
        counter=sales.day_counts(
            caller.tenant_id,
            store_id,
            day,
            sales=1,
            identified_sales=1 if customer else 0,
            earning_sales=1 if points_earned else 0,
            revenue=net_total,
            gross=sale["total"],
            discount=sale["discount"],
            points_issued=points_earned,
            new_customers=1 if customer is not None and is_new_customer else 0,
            returning_sales=1 if before is not None and before.visits > 0 else 0,
        ),
        customer=customer,
        ledger=ledger,
        resolution=resolution if customer else None,
        nfce=nfce,
        messages=[welcome] if welcome else [],
    )
    if before is not None and after is not None:
        _move_last_purchase(write, tenant, caller.tenant_id, before, after)
    sales.count_expired(write, caller.tenant_id, tenant.today(now).isoformat(), [expired])
    return write, body


def _move_last_purchase(
    write: sales.Write,
    tenant: tenancy.Tenant,
    tenant_id: str,
    before: people.Purchases,
    after: people.Purchases,
) -> None:
    """The last-purchase gauge of the day counters: a customer counts once, at the store
    and day of their latest purchase, so the active customers of a window are a sum of
    counters. A sale that becomes the latest moves them there."""
    previous = _last_purchase_day(tenant, before)
    latest = _last_purchase_day(tenant, after)
    if previous == latest or latest is None:
        return
    sales.add_counts(write, tenant_id, *latest, last_purchases=1)
    if previous is not None:
        sales.add_counts(write, tenant_id, *previous, last_purchases=-1)


def _last_purchase_day(
    tenant: tenancy.Tenant, purchases: people.Purchases
) -> tuple[str, str] | None:
    if purchases.last_purchase_at is None or purchases.last_store is None:
        return None
    return purchases.last_store, tenant.today(purchases.last_purchase_at).isoformat()


def sale_answer(
    tenant: tenancy.Tenant,
    store_id: str,
    sale_id: str,
    customer: CustomerRecord | None,
    points_earned: int,
    now: datetime,
) -> dict:
    points = customers.points_of(customer) if customer else Points()
    available = points.available(now)
    return {
        "sale_id": sale_id,
        "customer_id": customer.customer_id if customer else None,
        "points_earned": points_earned,
        "balance": points.balance,
        "available": available,
        "debt": points.debt,
        "benefits": redeemable_now(tenant, store_id, available, now) if customer else [],
    }
