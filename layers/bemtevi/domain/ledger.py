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


def redeemable_lots(points: Points, now: datetime) -> list[Lot]:
    """Lots that can pay a redemption now, in the order they pay: earliest expiry first."""
    return sorted(
        (
            lot
            for lot in points.lots
            if lot.remaining > 0 and lot.pending_until <= now < lot.expires_at
        ),
        key=lambda lot: (lot.expires_at, lot.earned_at, lot.lot_id),
    )


def redeem(
    points: Points, amount: int, now: datetime, entry_id: str, store_id: str
) -> tuple[Points, Entry, list[tuple[Lot, int]]] | None:
    """Spend `amount` available points, earliest expiry first (FIFO by expires_at).
    Returns the new points, the ledger entry and the lots as they were with what each
    paid (to give them back on a cancellation); None if the points are not there."""
    consumed: list[tuple[Lot, int]] = []
    still = amount
    for lot in redeemable_lots(points, now):
        if still == 0:
            break
        take = min(lot.remaining, still)
        consumed.append((lot, take))
        still -= take
    if still or amount <= 0:
        return None
    taken = {lot.lot_id: take for lot, take in consumed}
    lots = tuple(
        replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0)) for lot in points.lots
    )
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.REDEEMED,
        occurred_at=now,
        points=-amount,
        store_id=store_id,
        lots={lot_id: -take for lot_id, take in taken.items()},
    )
    return Points(_live(lots), points.debt), entry, consumed


def give_back(
    points: Points, consumed: list[tuple[Lot, int]], now: datetime, entry_id: str, store_id: str
) -> tuple[Points, list[Entry]]:
    """Undo a redemption: the same lots get their points back, with their original expiry.
    An outstanding debt (a return after the redemption) is paid first from what comes
    back, as with any new points; a lot that expired meanwhile expires again at once."""
    lots = {lot.lot_id: lot for lot in points.lots}
    debt = points.debt
    kept: dict[str, int] = {}
    for original, take in consumed:
        pay = min(debt, take) if original.expires_at > now else 0
        debt -= pay
        kept[original.lot_id] = kept.get(original.lot_id, 0) + take - pay
        current = lots.get(original.lot_id)
        base = current if current is not None else replace(original, remaining=0)
        lots[original.lot_id] = replace(base, remaining=base.remaining + take - pay)
    entries = [
        Entry(
            entry_id=entry_id,
            kind=EntryKind.CANCELLED,
            occurred_at=now,
            points=sum(kept.values()),
            store_id=store_id,
            lots={lot_id: amount for lot_id, amount in kept.items() if amount},
            debt=debt - points.debt,
        )
    ]
    expired = {
        original.lot_id: kept[original.lot_id]
        for original, _ in consumed
        if original.expires_at <= now and kept[original.lot_id]
    }
    if expired:
        for lot_id, amount in expired.items():
            lots[lot_id] = replace(lots[lot_id], remaining=lots[lot_id].remaining - amount)
        entries.append(
            Entry(
                entry_id=f"{entry_id}:expired",
                kind=EntryKind.EXPIRED,
                occurred_at=now,
                points=-sum(expired.values()),
                store_id=store_id,
                lots={lot_id: -amount for lot_id, amount in expired.items()},
            )
        )
    return Points(_live(tuple(lots.values())), debt), entries


def expire_due(
    points: Points, now: datetime, entry_id: str, store_id: str
) -> tuple[Points, Entry | None]:
    """Expire what is left of every lot whose time has come, with one entry."""
    due = {lot.lot_id: lot.remaining for lot in points.lots if lot.expires_at <= now}
    if not due:
        return points, None
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.EXPIRED,
        occurred_at=now,
        points=-sum(due.values()),
        store_id=store_id,
        lots={lot_id: -remaining for lot_id, remaining in due.items()},
    )
    return Points(tuple(lot for lot in points.lots if lot.lot_id not in due), points.debt), entry


def origin_store(lot_id: str) -> str:
    """A lot's id is `<origin store>:<sale id>`; store ids hold no colon."""
    return lot_id.split(":", 1)[0]


def expired_by_store(entries: list[Entry | None]) -> dict[str, int]:
    """Points that expired in these entries, by the store where they were earned."""
    totals: dict[str, int] = {}
    for entry in entries:
        if entry is None or entry.kind != EntryKind.EXPIRED:
            continue
        for lot_id, change in entry.lots.items():
            store_id = origin_store(lot_id)
            totals[store_id] = totals.get(store_id, 0) - change
    return {store_id: points for store_id, points in totals.items() if points}
