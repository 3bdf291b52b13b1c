"""Where a redemption's compensation is filed: the closing markers read with the
operation, the check that the period is still open, and the pair items it adds to."""

from __future__ import annotations

from bemtevi.domain import spending
from bemtevi.domain.compensation import Filing
from bemtevi.domain.months import next_month
from bemtevi.store import compensation


def markers(tenant_id: str, month: str) -> list[tuple[type, tuple[str, str]]]:
    """The closing markers of a month and the next, read with the operation's data."""
    return compensation.closing_reads(tenant_id, (month, next_month(month)))


def closed(found: dict) -> dict[str, bool]:
    return {keys_month(keys): item is not None for keys, item in found.items()}


def keys_month(keys: tuple[str, str]) -> str:
    return keys[0].rsplit("#", 1)[1]


def still_open(tenant_id: str, period: str) -> tuple:
    """The ConditionCheck that files the compensation in `period` only while it is
    open: a month closed meanwhile fails the transaction, which reads again."""
    return compensation.still_open_check(tenant_id, period)


def redemption_updates(
    tenant_id: str, filed: Filing, receiver: str, decided: spending.Redemption, sign: int
) -> list:
    return pair_updates(
        tenant_id, filed, receiver, decided.owed, decided.own, decided.points_by_store, sign
    )


def pair_updates(
    tenant_id: str,
    filed: Filing,
    receiver: str,
    owed: dict[str, int],
    own: int,
    points_by_store: dict[str, int],
    sign: int,
) -> list:
    """The pair items of the filing (the period's own, or its late items), by ADD."""
    amounts = {payer: owed.get(payer, 0) for payer in points_by_store}
    amounts[receiver] = own
    return [
        compensation.pair_update(
            tenant_id,
            filed,
            payer,
            receiver,
            sign * amount,
            sign * points_by_store.get(payer, 0),
            sign,
        )
        for payer, amount in amounts.items()
    ]
