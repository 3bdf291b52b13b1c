"""A customer's points: live lots, debt, and the ledger entries that explain every change.

Invariants (tests/unit/test_ledger_properties.py checks them on random histories):
- the balance is the sum of the live lots' remaining points, and never negative;
- the balance equals the sum of the ledger entries' `points`;
- the debt equals the points reversed that no balance could cover, minus what later
  earnings paid back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    EARNED = "earned"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    ADJUSTED = "adjusted"


@dataclass(frozen=True)
class Lot:
    lot_id: str
    store_id: str
    sale_id: str
    earned_at: datetime
    expires_at: datetime
    pending_until: datetime
    amount: int
    remaining: int


@dataclass(frozen=True)
class Entry:
    """One line of the ledger. `points` is the change to the balance; `lots` says which
    lots moved and by how much; `debt` is the change to the debt."""

    entry_id: str
    kind: EntryKind
    occurred_at: datetime
    points: int
    store_id: str
    sale_id: str | None = None
    lots: dict[str, int] = field(default_factory=dict)
    debt: int = 0


@dataclass(frozen=True)
class Points:
    lots: tuple[Lot, ...] = ()
    debt: int = 0

    @property
    def balance(self) -> int:
        return sum(lot.remaining for lot in self.lots)

    def available(self, now: datetime) -> int:
        """Points that can be redeemed now: past their pending period, not expired."""
        return sum(
            lot.remaining
            for lot in self.lots
            if lot.pending_until <= now < lot.expires_at and lot.remaining > 0
        )

    def next_expiry(self) -> datetime | None:
        dates = [lot.expires_at for lot in self.lots if lot.remaining > 0]
        return min(dates) if dates else None

    def available_from(self, threshold: int) -> datetime | None:
        """When available points first reach `threshold`, counting lots as they leave
        their pending period (expiry aside); None if the balance never gets there."""
        if threshold <= 0:
            return None
        running = 0
        for lot in sorted(self.lots, key=lambda lot: lot.pending_until):
            running += lot.remaining
            if lot.remaining > 0 and running >= threshold:
                return lot.pending_until
        return None

    def lot(self, lot_id: str) -> Lot | None:
        return next((lot for lot in self.lots if lot.lot_id == lot_id), None)


def earn(points: Points, lot: Lot, entry_id: str) -> tuple[Points, Entry]:
    """Add a sale's lot; an outstanding debt is paid first from the new points."""
    paid = min(points.debt, lot.amount)
    credited = replace(lot, remaining=lot.amount - paid)
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.EARNED,
        occurred_at=lot.earned_at,
        points=credited.remaining,
        store_id=lot.store_id,
        sale_id=lot.sale_id,
        lots={lot.lot_id: credited.remaining},
        debt=-paid,
    )
    return Points(lots=_live((*points.lots, credited)), debt=points.debt - paid), entry


def reverse(
    points: Points,
    lot_id: str,
    amount: int,
    entry_id: str,
    occurred_at: datetime,
    store_id: str,
    sale_id: str,
) -> tuple[Points, Entry]:
    """Take back `amount` points of a returned sale: first from that sale's own lot, then
    from the other lots, earliest expiry first; what the balance cannot cover becomes
    debt, which future earnings pay first."""
    taken: dict[str, int] = {}
    still_owed = amount
    order = sorted(points.lots, key=lambda lot: (lot.lot_id != lot_id, lot.expires_at, lot.lot_id))
    for lot in order:
        if still_owed == 0:
            break
        take = min(lot.remaining, still_owed)
        if take:
            taken[lot.lot_id] = take
            still_owed -= take
    lots = tuple(
        replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0)) for lot in points.lots
    )
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.CANCELLED,
        occurred_at=occurred_at,
        points=-(amount - still_owed),
        store_id=store_id,
        sale_id=sale_id,
        lots={key: -value for key, value in taken.items()},
        debt=still_owed,
    )
    return Points(lots=_live(lots), debt=points.debt + still_owed), entry


def points_to_reverse(earned: int, net_total: int, returned_before: int, returning: int) -> int:
    """Points a return takes back, so that returning the whole sale in any number of
    partial returns takes back exactly what it earned."""
    if net_total <= 0:
        return 0
    before = earned * returned_before // net_total
    after = earned * (returned_before + returning) // net_total
    return after - before


def _live(lots: tuple[Lot, ...]) -> tuple[Lot, ...]:
    """Spent lots leave the live set; their history stays in the ledger."""
    return tuple(lot for lot in lots if lot.remaining > 0)
