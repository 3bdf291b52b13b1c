"""What a redemption does to its customer's points, and what its cancellation gives
back: the lots consumed (earliest expiry first), the split of the benefit's value over
their origin stores, and the ledger entries. Pure: the caller reads the customer and the
benefit rules and writes the records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from bemtevi.domain.benefits import Benefit, refusal
from bemtevi.domain.compensation import payables
from bemtevi.domain.ledger import Entry, Lot, Points, expire_due, give_back, redeem

# one compensation line per origin store must fit DynamoDB's 100 actions a transaction
MAX_ORIGIN_STORES = 90
TOO_MANY_ORIGIN_STORES = "too_many_origin_stores"


@dataclass(frozen=True)
class Redemption:
    """The points after, the ledger entries in order (expired, then redeemed), the lots
    consumed with what each paid, and the value owed by each other origin store (`owed`)
    and by the redeeming store itself (`own`, which settles nothing)."""

    points: Points
    entries: tuple[Entry, ...]
    expired: Entry | None
    consumed: tuple[tuple[Lot, int], ...]
    points_by_store: dict[str, int]
    owed: dict[str, int]
    own: int


def redemption(
    benefit: Benefit,
    points: Points,
    store_id: str,
    redemption_id: str,
    purchase_total: int,
    today: date,
    now: datetime,
) -> Redemption | str:
    """The redemption of `benefit`, or the code of the reason it is refused. What is due
    expires first, so expired points never pay for a benefit."""
    points, expired = expire_due(points, now, f"expire:redeem:{store_id}:{redemption_id}", store_id)
    reason = refusal(benefit, points.available(now), store_id, today, purchase_total)
    if reason:
        return reason
    spent = redeem(points, benefit.points, now, f"redeem:{store_id}:{redemption_id}", store_id)
    if spent is None:
        return "insufficient_points"
    after, entry, consumed = spent
    by_store = points_by_store(consumed)
    if len(by_store) > MAX_ORIGIN_STORES:
        return TOO_MANY_ORIGIN_STORES
    owed, own = payables(benefit.value, by_store, store_id)
    entries = tuple(item for item in (expired, entry) if item is not None)
    return Redemption(after, entries, expired, tuple(consumed), by_store, owed, own)


def points_by_store(consumed: list[tuple[Lot, int]] | tuple[tuple[Lot, int], ...]) -> dict:
    by_store: Counter[str] = Counter()
    for lot, take in consumed:
        by_store[lot.store_id] += take
    return dict(by_store)


@dataclass(frozen=True)
class Cancellation:
    """The points after, the ledger entries in order, the points returned and, of those,
    the ones that expired again at once (their lot's time had come meanwhile)."""

    points: Points
    entries: tuple[Entry, ...]
    returned: int
    expired_again: int
    points_by_store: dict[str, int]


def cancellation(
    points: Points,
    consumed: list[tuple[Lot, int]],
    store_id: str,
    redemption_id: str,
    now: datetime,
) -> Cancellation:
    """The consumed lots get their points back, after what is due expires."""
    current, expired = expire_due(
        points, now, f"expire:unredeem:{store_id}:{redemption_id}", store_id
    )
    restored, given = give_back(
        current, consumed, now, f"unredeem:{store_id}:{redemption_id}", store_id
    )
    entries = tuple(entry for entry in (expired, *given) if entry is not None)
    returned = sum(take for _, take in consumed)
    expired_again = -sum(e.points for e in entries[-1:] if e.entry_id.endswith(":expired"))
    return Cancellation(restored, entries, returned, expired_again, points_by_store(consumed))


def consumed_json(lot: Lot, take: int) -> dict:
    """A consumed lot as the redemption record keeps it, to give it back on a cancel."""
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


def consumed_from_json(item: dict) -> tuple[Lot, int]:
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
