"""What a sale does: the points it earns its customer, what expires with it, the
customer's purchase aggregates, and the store-day counters it adds to. Pure: the caller
reads the customer and writes the records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bemtevi.domain.customers import Purchases, with_purchase
from bemtevi.domain.ledger import Entry, Lot, Points, earn, earned_into, expire_due
from bemtevi.domain.program import ItemValue, ProgramRules, expires_at, pending_until, points_for


@dataclass(frozen=True)
class Sale:
    """A sale as the POS posted it, validated; money in centavos."""

    store_id: str
    sale_id: str
    occurred_at: datetime
    total: int
    discount: int
    seller: str | None = None
    items: tuple[ItemValue, ...] = ()

    @property
    def net_total(self) -> int:
        return self.total - self.discount


@dataclass(frozen=True)
class Credit:
    """What a sale does to its customer: the points earned (into `lot_id`, which may be a
    lot it merged into), the points after, the ledger entries in order (earned, then
    expired), whether it is the customer's first credit, and the purchases before and
    after."""

    points_earned: int
    lot_id: str | None
    points: Points
    entries: tuple[Entry, ...]
    expired: Entry | None
    first_credit: bool
    before: Purchases
    after: Purchases


def credit(
    program: ProgramRules,
    zone: tzinfo,
    sale: Sale,
    points: Points,
    purchases: Purchases,
    credited_before: bool,
    now: datetime,
) -> Credit:
    """The sale's points go into a new lot (or merge into one of the same day). What is
    due expires with any write: a sale posted after its points' validity earns them
    already expired; the daily job does the rest."""
    earned = points_for(program, sale.store_id, sale.net_total, list(sale.items))
    entries: list[Entry] = []
    lot_id = None
    if earned:
        points, entry = earn(points, _lot(program, sale, earned), f"earn:{_lot_id(sale)}", zone)
        lot_id = earned_into(entry)
        entries.append(entry)
    points, expired = expire_due(
        points, now, f"expire:{sale.store_id}:{sale.sale_id}", sale.store_id
    )
    if expired is not None:
        entries.append(expired)
    after = with_purchase(purchases, sale.occurred_at, sale.net_total, sale.store_id, sale.seller)
    first_credit = bool(earned) and not credited_before
    return Credit(earned, lot_id, points, tuple(entries), expired, first_credit, purchases, after)


def _lot_id(sale: Sale) -> str:
    return f"{sale.store_id}:{sale.sale_id}"


def _lot(program: ProgramRules, sale: Sale, earned: int) -> Lot:
    return Lot(
        lot_id=_lot_id(sale),
        store_id=sale.store_id,
        sale_id=sale.sale_id,
        earned_at=sale.occurred_at,
        expires_at=expires_at(program, sale.occurred_at),
        pending_until=pending_until(program, sale.occurred_at),
        amount=earned,
        remaining=earned,
    )


def day_counts(sale: Sale, credited: Credit | None, new_customer: bool) -> dict[str, int]:
    """What the sale adds to its store's day counters."""
    earned = credited.points_earned if credited else 0
    return {
        "sales": 1,
        "identified_sales": 1 if credited else 0,
        "earning_sales": 1 if earned else 0,
        "revenue": sale.net_total,
        "gross": sale.total,
        "discount": sale.discount,
        "points_issued": earned,
        "new_customers": 1 if credited and new_customer else 0,
        "returning_sales": 1 if credited and credited.before.visits > 0 else 0,
    }


def last_purchase_moves(
    zone: tzinfo, before: Purchases, after: Purchases
) -> list[tuple[str, str, int]]:
    """The last-purchase gauge of the day counters, as (store, day, change): a customer
    counts once, at the store and day of their latest purchase, so the active customers
    of a window are a sum of counters. A sale that becomes the latest moves them there."""
    previous = _last_purchase_day(zone, before)
    latest = _last_purchase_day(zone, after)
    if previous == latest or latest is None:
        return []
    moves = [(*latest, 1)]
    if previous is not None:
        moves.append((*previous, -1))
    return moves


def _last_purchase_day(zone: tzinfo, purchases: Purchases) -> tuple[str, str] | None:
    if purchases.last_purchase_at is None or purchases.last_store is None:
        return None
    return purchases.last_store, purchases.last_purchase_at.astimezone(zone).date().isoformat()
