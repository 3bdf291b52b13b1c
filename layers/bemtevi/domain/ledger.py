"""A customer's points: live lots, debt, and the ledger entries that explain every change.

Lots are merged so that a customer's live lots stay few whatever the number of sales: a
sale's points join the live lot of the same origin store, expiry day and pending day (in
the tenant's time zone), and beyond `MAX_LOTS` the two closest lots of the store with the
most lots merge. A merged lot keeps the id of its first sale, the latest expiry and
pending time of its parts (no point expires or clears earlier than its sale promised)
and the earliest earning time. The sale record keeps the lot its points went into and
what it earned, which is all a return needs to take back exactly that.

Invariants (tests/unit/test_ledger_properties.py checks them on random histories):
- the balance is the sum of the live lots' remaining points, and never negative;
- the balance equals the sum of the ledger entries' `points`;
- the debt equals the points reversed that no balance could cover, minus what later
  earnings (and manual adjustments, bemtevi.domain.adjustments) paid back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum

# Live lots a customer item keeps at most (a store-day each, merged beyond): with the
# item's compact encoding this bounds the item far below DynamoDB's 400 KB.
MAX_LOTS = 100


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
    lots moved and by how much; `debt` is the change to the debt; `reason`, why a
    manager adjusted the points (kind `adjusted` only)."""

    entry_id: str
    kind: EntryKind
    occurred_at: datetime
    points: int
    store_id: str
    sale_id: str | None = None
    lots: dict[str, int] = field(default_factory=dict)
    debt: int = 0
    reason: str | None = None


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


def earn(points: Points, lot: Lot, entry_id: str, zone: tzinfo = UTC) -> tuple[Points, Entry]:
    """Add a sale's lot; an outstanding debt is paid first from the new points. The
    points join a live lot of the same origin store, expiry day and pending day (days in
    `zone`) when there is one; the entry names the lot they went into."""
    paid = min(points.debt, lot.amount)
    credited = replace(lot, remaining=lot.amount - paid)
    target = next(
        (
            live
            for live in points.lots
            if live.remaining > 0 and merge_key(live, zone) == merge_key(lot, zone)
        ),
        None,
    )
    if target is None:
        lots = (*points.lots, credited)
        into = lot.lot_id
    else:
        merged = merge(target, credited)
        lots = tuple(merged if live.lot_id == target.lot_id else live for live in points.lots)
        into = target.lot_id
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.EARNED,
        occurred_at=lot.earned_at,
        points=credited.remaining,
        store_id=lot.store_id,
        sale_id=lot.sale_id,
        lots={into: credited.remaining},
        debt=-paid,
    )
    return Points(lots=_live(lots), debt=points.debt - paid), entry


def merge_key(lot: Lot, zone: tzinfo) -> tuple[str, date, date]:
    return (
        lot.store_id,
        lot.expires_at.astimezone(zone).date(),
        lot.pending_until.astimezone(zone).date(),
    )


def merge(first: Lot, second: Lot) -> Lot:
    """One lot holding both: the first's id, the later expiry and pending time, the
    earlier earning time."""
    return replace(
        first,
        earned_at=min(first.earned_at, second.earned_at),
        expires_at=max(first.expires_at, second.expires_at),
        pending_until=max(first.pending_until, second.pending_until),
        amount=first.amount + second.amount,
        remaining=first.remaining + second.remaining,
    )


def earned_into(entry: Entry) -> str | None:
    """The lot an earning entry credited."""
    return next(iter(entry.lots), None)


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
    taken, lots = _taken_first(points, amount, lambda lot: lot.lot_id == lot_id)
    still_owed = amount - sum(taken.values())
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


def take_out(
    points: Points, amount: int, store_id: str, entry_id: str, now: datetime
) -> tuple[Points, Entry]:
    """Take `amount` points out by hand (a negative adjustment): from the lots of
    `store_id` first, then from the others, earliest expiry first, pending lots included.
    The caller keeps `amount` within the balance: this never creates debt."""
    if not 0 < amount <= points.balance:
        raise ValueError("an adjustment takes out between 1 point and the balance")
    taken, lots = _taken_first(points, amount, lambda lot: lot.store_id == store_id)
    entry = Entry(
        entry_id=entry_id,
        kind=EntryKind.ADJUSTED,
        occurred_at=now,
        points=-amount,
        store_id=store_id,
        lots={lot_id: -take for lot_id, take in taken.items()},
    )
    return Points(_live(lots), points.debt), entry


def _taken_first(
    points: Points, amount: int, first: Callable[[Lot], bool]
) -> tuple[dict[str, int], tuple[Lot, ...]]:
    """Up to `amount` points out of the lots, those `first` picks first, then earliest
    expiry first: what each lot gave, and the lots after."""
    taken: dict[str, int] = {}
    still = amount
    for lot in sorted(points.lots, key=lambda lot: (not first(lot), lot.expires_at, lot.lot_id)):
        take = min(lot.remaining, still)
        if take:
            taken[lot.lot_id] = take
            still -= take
    lots = tuple(
        replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0)) for lot in points.lots
    )
    return taken, lots


def points_to_reverse(earned: int, net_total: int, returned_before: int, returning: int) -> int:
    """Points a return takes back, so that returning the whole sale in any number of
    partial returns takes back exactly what it earned."""
    if net_total <= 0:
        return 0
    before = earned * returned_before // net_total
    after = earned * (returned_before + returning) // net_total
    return after - before


def _live(lots: tuple[Lot, ...]) -> tuple[Lot, ...]:
    """Spent lots leave the live set (their history stays in the ledger); beyond
    `MAX_LOTS`, lots merge (see `_bounded`)."""
    return _bounded(tuple(lot for lot in lots if lot.remaining > 0))


def _bounded(lots: tuple[Lot, ...]) -> tuple[Lot, ...]:
    """While there are more than `MAX_LOTS` lots, merge the two of the store with the
    most lots whose expiry dates are closest (points never change store: compensation
    follows their origin)."""
    if len(lots) <= MAX_LOTS:
        return lots
    by_store: dict[str, list[Lot]] = {}
    for lot in lots:
        by_store.setdefault(lot.store_id, []).append(lot)
    current = list(lots)
    while len(current) > MAX_LOTS:
        store_id = max(by_store, key=lambda store: len(by_store[store]))
        own = sorted(by_store[store_id], key=lambda lot: (lot.expires_at, lot.lot_id))
        if len(own) < 2:
            break
        _, index = min((own[n + 1].expires_at - own[n].expires_at, n) for n in range(len(own) - 1))
        first, second = own[index], own[index + 1]
        merged = merge(first, second)
        own[index : index + 2] = [merged]
        by_store[store_id] = own
        current = [
            merged if lot.lot_id == first.lot_id else lot
            for lot in current
            if lot.lot_id != second.lot_id
        ]
    return tuple(current)


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
