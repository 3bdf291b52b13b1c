"""A manual adjustment of a customer's points by a network admin: the rules a value must
meet, and what the adjustment does to the points. Pure: the caller reads the customer and
writes the records.

A positive adjustment is a lot of its origin store, like a sale's: available at once (no
pending period: a person decided it), expiring after the program's validity, merged like
other lots, and paying an outstanding debt first. A negative one takes points from the
live lots of its origin store first, then from the others, earliest expiry first (pending
lots too: the balance is what it can take), and is refused beyond the balance: it never
creates debt. Compensation and metrics follow the lots' origin stores, as for sales and
expiry (docs/decisions.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from bemtevi.domain.ledger import (
    Entry,
    EntryKind,
    Lot,
    Points,
    earn,
    expire_due,
    expired_by_store,
    origin_store,
    take_out,
)
from bemtevi.domain.program import ProgramRules, expires_at
from bemtevi.errors import InvalidInput

MAX_POINTS = 1_000_000
REASON_LENGTH = (3, 200)
ADJUSTMENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SALE_PREFIX = "ajuste-"
"""An adjusted-in lot's `sale_id`: `ajuste-<adjustment id>` (its lot id `<store>:ajuste-...`)."""


@dataclass(frozen=True)
class Adjustment:
    """The points after, the ledger entries in order (expired, then adjusted), the
    adjusted entry itself, and the change to each origin store's points (what its
    `points_adjusted` counter adds) and to its expired points."""

    points: Points
    entries: tuple[Entry, ...]
    entry: Entry
    adjusted_by_store: dict[str, int]
    expired_by_store: dict[str, int]


def points_from(value: str | int) -> int:
    """The points of an adjustment: a whole number, + or -, not zero, within
    `MAX_POINTS` either way."""
    text = str(value).strip().replace(" ", "")
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise InvalidInput(
            "invalid_points",
            "Informe os pontos do ajuste como um número inteiro, ex.: 50 ou -20.",
            "points",
        )
    points = int(text)
    if points == 0:
        raise InvalidInput("invalid_points", "Um ajuste de 0 pontos não muda nada.", "points")
    if abs(points) > MAX_POINTS:
        raise InvalidInput(
            "invalid_points",
            f"Um ajuste vai até {_thousands(MAX_POINTS)} pontos, para mais ou para menos.",
            "points",
        )
    return points


def reason_from(value: str | None) -> str:
    """The reason, trimmed, with its inner whitespace as single spaces."""
    reason = " ".join((value or "").split())
    low, high = REASON_LENGTH
    if not low <= len(reason) <= high:
        raise InvalidInput(
            "invalid_reason",
            f"Escreva o motivo do ajuste (de {low} a {high} caracteres).",
            "reason",
        )
    return reason


def adjustment_id_from(value: str | None) -> str:
    text = (value or "").strip()
    if not ADJUSTMENT_ID.fullmatch(text):
        raise InvalidInput(
            "invalid_adjustment_id",
            "Identificador do ajuste inválido: recarregue a página e tente de novo.",
            "adjustment_id",
        )
    return text


def adjust(
    points: Points,
    program: ProgramRules,
    zone: tzinfo,
    amount: int,
    reason: str,
    store_id: str,
    adjustment_id: str,
    now: datetime,
) -> Adjustment:
    """What is due expires first (so a negative adjustment never takes expired points);
    then the points go in (a lot of `store_id`) or out (its lots first). Raises
    InvalidInput when a negative adjustment exceeds the balance."""
    current, expired = expire_due(points, now, f"expire:adjust:{adjustment_id}", store_id)
    entry_id = f"adjust:{adjustment_id}"
    if amount > 0:
        after, entry = _add(current, program, zone, amount, store_id, adjustment_id, entry_id, now)
    elif -amount > current.balance:
        raise InvalidInput("insufficient_points", _only(current.balance), "points")
    else:
        after, entry = take_out(current, -amount, store_id, entry_id, now)
    entry = replace(entry, reason=reason)
    by_store: dict[str, int] = {}
    for lot_id, change in entry.lots.items():
        by_store[origin_store(lot_id)] = by_store.get(origin_store(lot_id), 0) + change
    return Adjustment(
        after,
        tuple(item for item in (expired, entry) if item is not None),
        entry,
        {store: change for store, change in by_store.items() if change},
        expired_by_store([expired]),
    )


def _add(
    points: Points,
    program: ProgramRules,
    zone: tzinfo,
    amount: int,
    store_id: str,
    adjustment_id: str,
    entry_id: str,
    now: datetime,
) -> tuple[Points, Entry]:
    sale_id = SALE_PREFIX + adjustment_id
    lot = Lot(
        lot_id=f"{store_id}:{sale_id}",
        store_id=store_id,
        sale_id=sale_id,
        earned_at=now,
        expires_at=expires_at(program, now),
        pending_until=now,
        amount=amount,
        remaining=amount,
    )
    after, entry = earn(points, lot, entry_id, zone)
    return after, replace(entry, kind=EntryKind.ADJUSTED, sale_id=None, occurred_at=now)


def _only(balance: int) -> str:
    if balance == 0:
        return "O cliente não tem pontos para tirar."
    if balance == 1:
        return "O cliente tem só 1 ponto."
    return f"O cliente tem só {_thousands(balance)} pontos."


def _thousands(number: int) -> str:
    """1500 -> "1.500", as a Brazilian reads it."""
    return f"{number:,}".replace(",", ".")
