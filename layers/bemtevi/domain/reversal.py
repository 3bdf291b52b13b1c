"""What a return does: how much of the sale it returns, the points it takes back (in
proportion to the amount, so a whole sale returned in any number of steps takes back
exactly what it earned), and their effect on the customer. Pure: the caller reads the
sale and the customer and writes the records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bemtevi.domain.customers import Purchases, with_return
from bemtevi.domain.ledger import Entry, Points, expire_due, points_to_reverse, reverse

ALREADY_RETURNED = "already_returned"
EXCEEDS_SALE = "exceeds_sale"


@dataclass(frozen=True)
class Returned:
    """The amount returned and the points it takes back."""

    amount: int
    points: int


def returned(
    earned: int, net_total: int, returned_before: int, requested: int | None
) -> Returned | str:
    """The return of `requested` centavos (None: all that is left), or the code of the
    reason it is refused."""
    remaining = net_total - returned_before
    if remaining <= 0:
        return ALREADY_RETURNED
    amount = remaining if requested is None else requested
    if amount > remaining:
        return EXCEEDS_SALE
    return Returned(amount, points_to_reverse(earned, net_total, returned_before, amount))


@dataclass(frozen=True)
class Reversal:
    """The customer's side: points and purchases after, the ledger entries in order
    (expired, then the reversal when it moves points), the points taken from the
    balance and the debt created for what the balance could not cover."""

    points: Points
    purchases: Purchases
    entries: tuple[Entry, ...]
    expired: Entry | None
    recovered: int
    debt_created: int


@dataclass(frozen=True)
class Origin:
    """The sale a return is about, and the return's id."""

    store_id: str
    sale_id: str
    lot_id: str | None
    return_id: str


def reversal(
    points: Points,
    purchases: Purchases,
    origin: Origin,
    taken: Returned,
    occurred_at: datetime,
) -> Reversal:
    """What is due expires first; then the points come back from the sale's lot, else
    from the rest of the balance (earliest expiry first), else become a debt."""
    key = f"{origin.store_id}:{origin.sale_id}:{origin.return_id}"
    before, expired = expire_due(points, occurred_at, f"expire:return:{key}", origin.store_id)
    after, entry = reverse(
        before,
        origin.lot_id or "",
        taken.points,
        entry_id=f"return:{key}",
        occurred_at=occurred_at,
        store_id=origin.store_id,
        sale_id=origin.sale_id,
    )
    entries = [expired] if expired is not None else []
    if taken.points:
        entries.append(entry)
    purchases = with_return(purchases, taken.amount)
    return Reversal(after, purchases, tuple(entries), expired, -entry.points, entry.debt)
