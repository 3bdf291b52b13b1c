"""POST /v1/sales: record a sale and credit its points, exactly once.

One TransactGet reads the sale (a replay stops there) and the customer; one TransactWrite
writes the sale, the customer's new lot and aggregates, the ledger entry and the store's
day counters, on condition that nothing changed in between (else read again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.domain import earning
from bemtevi.domain.ledger import Points
from bemtevi.domain.operations import RecordedRedemption, RecordedSale
from bemtevi.domain.program import ItemValue
from bemtevi.errors import Conflict, InvalidInput
from bemtevi.store import customers, sales
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.messaging.welcome import queue_welcome
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
    record: RecordedSale | RecordedRedemption, fingerprint: str, field: str = "sale_id"
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


def apply_person(
    record: people.Customer, person: people.Person, who: customers.Identity
) -> people.Customer:
    """What the request says about the customer overwrites what was known; what it leaves
    out is kept."""
    return people.with_person(record, person, who.phone_hash)


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
    """The decision (`bemtevi.domain.earning`), the records to write and the answer."""
    tenant_id, facts = caller.tenant_id, sale_facts(caller.store_id, sale, occurred_at)
    resolution = snapshot.resolution
    customer = credited = None
    if person is not None and who is not None and resolution is not None:
        customer, credited = _credit(tenant_id, tenant, facts, person, who, resolution, now)
    body = sale_answer(tenant, facts.store_id, facts.sale_id, customer, _earned(credited), now)
    is_new = resolution is not None and resolution.customer is None
    day = tenant.today(occurred_at).isoformat()
    counts = earning.day_counts(facts, credited, is_new)
    write = sales.Write(
        record=_sale_record(tenant_id, sale, facts, customer, credited, fingerprint, body, now),
        record_is_new=True,
        counter=sales.day_counts(tenant_id, facts.store_id, day, **counts),
        customer=customer,
        resolution=resolution if customer else None,
        nfce_key=sale.get("nfce_key") or None,
    )
    if customer is not None and credited is not None:
        _add_credit(write, tenant, customer, credited, now)
    return write, body


def sale_facts(store_id: str, sale: dict, occurred_at: datetime) -> earning.Sale:
    return earning.Sale(
        store_id=store_id,
        sale_id=sale["sale_id"],
        occurred_at=occurred_at,
        total=sale["total"],
        discount=sale["discount"],
        seller=sale.get("seller", {}).get("code"),
        items=tuple(
            ItemValue(item["quantity"] * item["unit_price"], item.get("category"))
            for item in sale.get("items", [])
        ),
    )


def _earned(credited: earning.Credit | None) -> int:
    return credited.points_earned if credited else 0


def _credit(
    tenant_id: str,
    tenant: tenancy.Tenant,
    facts: earning.Sale,
    person: people.Person,
    who: customers.Identity,
    resolution: customers.Resolution,
    now: datetime,
) -> tuple[people.Customer, earning.Credit]:
    """The customer the sale names, updated with what the request says and what the sale
    earned."""
    customer = resolution.customer or customers.new_customer(tenant_id, resolution.customer_id, now)
    customer = apply_person(customer, person, who)
    credited = earning.credit(
        tenant.program,
        tenant.zone,
        facts,
        customers.points_of(customer),
        customers.purchases_of(customer),
        customer.first_credit_at is not None,
        now,
    )
    if credited.first_credit:
        customer = replace(customer, first_credit_at=now)
    categories = [item.category for item in facts.items if item.category]
    day = tenant.today(facts.occurred_at)
    customer = customers.with_audience_sale(
        customer, day, facts.net_total, facts.store_id, categories
    )
    customer = customers.with_points(customer, credited.points, **tenant.points_indexes(now))
    customer = customers.with_purchases(customer, credited.after)
    return replace(customer, updated_at=now), credited


def _sale_record(
    tenant_id: str,
    sale: dict,
    facts: earning.Sale,
    customer: people.Customer | None,
    credited: earning.Credit | None,
    fingerprint: str,
    body: dict,
    now: datetime,
) -> RecordedSale:
    return RecordedSale(
        tenant_id=tenant_id,
        store_id=facts.store_id,
        sale_id=facts.sale_id,
        fingerprint=fingerprint,
        occurred_at=facts.occurred_at,
        total=facts.total,
        discount=facts.discount,
        net_total=facts.net_total,
        customer_id=customer.customer_id if customer else None,
        seller_code=facts.seller,
        points_earned=_earned(credited),
        lot_id=credited.lot_id if credited else None,
        nfce_key=sale.get("nfce_key"),
        response=json.dumps(body, ensure_ascii=False),
        recorded_at=now,
    )


def _add_credit(
    write: sales.Write,
    tenant: tenancy.Tenant,
    customer: people.Customer,
    credited: earning.Credit,
    now: datetime,
) -> None:
    """The customer's side of the sale: ledger entries, the welcome of a first credit,
    the last-purchase gauge and the expired points' counters."""
    tenant_id = tenant.tenant_id
    write.entries = list(credited.entries)
    if credited.first_credit:
        write.messages = [queue_welcome(tenant, customer, now, credited.points_earned)]
    moves = earning.last_purchase_moves(tenant.zone, credited.before, credited.after)
    for store_id, day, change in moves:
        sales.add_counts(write, tenant_id, store_id, day, last_purchases=change)
    sales.count_expired(write, tenant_id, tenant.today(now).isoformat(), [credited.expired])


def sale_answer(
    tenant: tenancy.Tenant,
    store_id: str,
    sale_id: str,
    customer: people.Customer | None,
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
