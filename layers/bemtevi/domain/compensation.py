"""Compensation between the stores of a network: points earned at store A and redeemed at
store B make A owe B the value B gave away, in proportion to A's share of the points.
Monthly, each store gets one invoice line per counterparty; what arrives after its month
closed is filed, as late, in the next open period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bemtevi.domain.months import next_month
from bemtevi.errors import BemteviError


def split_value(value: int, points_by_store: dict[str, int]) -> dict[str, int]:
    """Split `value` centavos over the origin stores in proportion to their points, by the
    largest remainder, so the parts add up to `value` exactly. Ties in the remainder go to
    the store with more points, then by store id, so the split is deterministic."""
    total = sum(points_by_store.values())
    if value < 0 or total <= 0 or any(points < 0 for points in points_by_store.values()):
        raise ValueError("a split needs a non-negative value and positive points")
    floors = {store: value * points // total for store, points in points_by_store.items()}
    remainders = {store: value * points % total for store, points in points_by_store.items()}
    left = value - sum(floors.values())
    order = sorted(
        points_by_store, key=lambda store: (-remainders[store], -points_by_store[store], store)
    )
    for store in order[:left]:
        floors[store] += 1
    return floors


def payables(
    value: int, points_by_store: dict[str, int], redeeming_store: str
) -> tuple[dict[str, int], int]:
    """What each other origin store owes the redeeming store, and the part that settles
    nothing (points earned at the redeeming store itself)."""
    parts = split_value(value, points_by_store)
    own = parts.pop(redeeming_store, 0)
    return {store: part for store, part in parts.items() if part}, own


@dataclass(frozen=True)
class Filing:
    """Where a redemption's (or cancellation's) compensation goes: the `period` whose
    invoice gets it, and the `origin` month it belongs to. Late when they differ."""

    period: str
    origin: str

    @property
    def late(self) -> bool:
        return self.period != self.origin


def filing_for(origin: str, is_closed: Callable[[str], bool]) -> Filing:
    """The first period from `origin` on that is not closed."""
    period = origin
    while is_closed(period):
        period = next_month(period)
    return Filing(period, origin)


def cancellation_filing(filed: Filing, is_closed: Callable[[str], bool]) -> Filing:
    """Where a cancellation goes: the very items of its redemption while their period is
    open; else the first open period, late, as a correction of the closed one."""
    found = filing_for(filed.period, is_closed)
    return filed if found.period == filed.period else Filing(found.period, filed.period)


@dataclass(frozen=True)
class PairFlow:
    """One pair item of a period: what `payer` owes `receiver`, filed on time
    (origin None) or late (origin: the closed month it belongs to)."""

    payer: str
    receiver: str
    amount: int
    points: int
    redemptions: int
    origin: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    """A store's line with one counterparty for a month: what it owes, what it
    receives (late items included, and shown apart) and the net (receives - owes)."""

    month: str
    store: str
    counterparty: str
    owes: int = 0
    receives: int = 0
    late_owes: int = 0
    late_receives: int = 0
    points_owed: int = 0
    points_received: int = 0
    redemptions_owed: int = 0
    redemptions_received: int = 0
    late_from: tuple[str, ...] = ()

    @property
    def net(self) -> int:
        return self.receives - self.owes

    @property
    def line_id(self) -> str:
        return f"{self.month}:{self.store}:{self.counterparty}"

    def is_empty(self) -> bool:
        return not any(
            (
                self.owes,
                self.receives,
                self.points_owed,
                self.points_received,
                self.redemptions_owed,
                self.redemptions_received,
            )
        )


class Unbalanced(BemteviError):
    """Across the network the sum owed must equal the sum receivable: it did not."""

    status = 500


def invoice_lines(month: str, flows: list[PairFlow]) -> list[InvoiceLine]:
    """Each pair of different stores becomes two lines, one per side, sorted by store and
    counterparty; the part a store redeemed of its own points settles nothing."""
    lines: dict[tuple[str, str], InvoiceLine] = {}
    for flow in flows:
        if flow.payer == flow.receiver:
            continue
        late = flow.amount if flow.origin else 0
        origins = (flow.origin,) if flow.origin else ()
        payer = lines.get(
            (flow.payer, flow.receiver), InvoiceLine(month, flow.payer, flow.receiver)
        )
        lines[(flow.payer, flow.receiver)] = replace(
            payer,
            owes=payer.owes + flow.amount,
            late_owes=payer.late_owes + late,
            points_owed=payer.points_owed + flow.points,
            redemptions_owed=payer.redemptions_owed + flow.redemptions,
            late_from=tuple(sorted({*payer.late_from, *origins})),
        )
        receiver = lines.get(
            (flow.receiver, flow.payer), InvoiceLine(month, flow.receiver, flow.payer)
        )
        lines[(flow.receiver, flow.payer)] = replace(
            receiver,
            receives=receiver.receives + flow.amount,
            late_receives=receiver.late_receives + late,
            points_received=receiver.points_received + flow.points,
            redemptions_received=receiver.redemptions_received + flow.redemptions,
            late_from=tuple(sorted({*receiver.late_from, *origins})),
        )
    return [lines[key] for key in sorted(lines) if not lines[key].is_empty()]


def check_balanced(lines: list[InvoiceLine]) -> tuple[int, int]:
    """The network's totals owed and receivable, after checking that they are equal and
    that each line is mirrored by its counterparty's; raises Unbalanced otherwise."""
    owed = sum(line.owes for line in lines)
    receivable = sum(line.receives for line in lines)
    if owed != receivable:
        raise Unbalanced(
            "compensation_unbalanced",
            f"Soma a pagar ({owed}) difere da soma a receber ({receivable}) na rede.",
            None,
        )
    by_pair = {(line.store, line.counterparty): line for line in lines}
    for (store, counterparty), line in by_pair.items():
        mirror = by_pair.get((counterparty, store))
        if mirror is None or (line.owes, line.late_owes) != (
            mirror.receives,
            mirror.late_receives,
        ):
            raise Unbalanced(
                "compensation_unbalanced",
                f"A linha {store} x {counterparty} não bate com a da contraparte.",
                None,
            )
    return owed, receivable


def statement_totals(lines: list[InvoiceLine]) -> dict[str, int]:
    """A store's totals over its lines."""
    return {
        "owes": sum(line.owes for line in lines),
        "receives": sum(line.receives for line in lines),
        "net": sum(line.net for line in lines),
        "late_owes": sum(line.late_owes for line in lines),
        "late_receives": sum(line.late_receives for line in lines),
    }
