"""What the manager's dashboard shows, from figures already summed: the months of several
stores added up, the month so far from the store-month items, the per-store table and
its order, the twelve months of a trend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bemtevi.domain.metrics import (
    MESSAGE_FIELDS,
    STATE,
    Counts,
    MonthSnapshot,
    figures,
    summed,
    summed_messages,
)
from bemtevi.domain.months import previous_month

TREND_MONTHS = 12
# figures of the trend charts and of the per-store table, in the order a manager reads them
HEADLINE = (
    "revenue",
    "sales",
    "discount_granted",
    "visits_with_redemption",
    "customers_with_points",
    "earning_sales_share_bp",
)
STORE_COLUMNS = (
    "sales",
    "revenue",
    "average_ticket",
    "discount_granted",
    "visits_with_redemption",
    "earning_sales_share_bp",
)
# the point value is a rate, not an amount: stores share it, it does not add up
_SHARED_STATE = ("point_value", "point_value_points")


def trend_months(current: str) -> tuple[str, str]:
    """The twelve closed months before `current`: the first and the last."""
    last = previous_month(current)
    first = last
    for _ in range(TREND_MONTHS - 1):
        first = previous_month(first)
    return first, last


def combined(scope: str, snapshots: Iterable[MonthSnapshot]) -> list[MonthSnapshot]:
    """Snapshots of several stores added up month by month, as one scope's: counts,
    state (every store counts its own customers), messages and compensation."""
    by_month: dict[str, list[MonthSnapshot]] = {}
    for snapshot in snapshots:
        by_month.setdefault(snapshot.month, []).append(snapshot)
    return [_added(scope, by_month[month]) for month in sorted(by_month)]


def _added(scope: str, parts: list[MonthSnapshot]) -> MonthSnapshot:
    state = summed((part.state for part in parts), STATE)
    for name in _SHARED_STATE:
        state[name] = max(part.state.get(name, 0) for part in parts)
    return MonthSnapshot(
        scope=scope,
        month=parts[0].month,
        as_of=max(part.as_of for part in parts),
        observed_on=max(part.observed_on for part in parts),
        month_counts=summed(part.month_counts for part in parts),
        last_30_days=summed(part.last_30_days for part in parts),
        state=state,
        messages=summed_messages(part.messages for part in parts),
        compensation=summed((part.compensation for part in parts), ("owed", "receivable")),
    )


def month_figures(snapshot: MonthSnapshot | None) -> dict[str, int | None]:
    """A closed month's figures (all zero when it has no snapshot)."""
    if snapshot is None:
        return figures(summed([]), {}, {}, {})
    return figures(
        summed([snapshot.month_counts]), snapshot.state, snapshot.messages, snapshot.compensation
    )


def so_far_figures(
    counts: Iterable[Mapping[str, int]], state: Mapping[str, int]
) -> dict[str, int | None]:
    """The month so far: flows from the store-month items and the days after them;
    customers, outstanding points and liability as the last snapshot photographed them
    (the first instant of the month), since only a snapshot reads the customers."""
    return figures(summed(counts), state, {}, {})


@dataclass(frozen=True)
class StoreRow:
    store_id: str
    name: str
    figures: dict[str, int | None]


SORTS = ("loja", *STORE_COLUMNS)


def sorted_rows(rows: Iterable[StoreRow], order: str) -> list[StoreRow]:
    """By name (`loja`), or by a figure, largest first (undefined ratios last)."""
    if order not in STORE_COLUMNS:
        return sorted(rows, key=lambda row: (row.name.casefold(), row.store_id))
    return sorted(
        rows,
        key=lambda row: (row.figures[order] is None, -(row.figures[order] or 0), row.name),
    )


def messages_by(
    days: Mapping[str, Mapping[str, Mapping[str, int]]],
) -> tuple[dict[str, Counts], dict[str, Counts], dict[str, Counts]]:
    """Message counters of a period's days ({day: {"kind:channel": counts}}) by kind, by
    channel and by day."""
    by_kind: dict[str, list[Mapping[str, int]]] = {}
    by_channel: dict[str, list[Mapping[str, int]]] = {}
    by_day: dict[str, list[Mapping[str, int]]] = {}
    for day, found in days.items():
        for key, counts in found.items():
            kind, _, channel = key.partition(":")
            by_kind.setdefault(kind, []).append(counts)
            by_channel.setdefault(channel, []).append(counts)
            by_day.setdefault(day, []).append(counts)

    def added(groups: dict[str, list[Mapping[str, int]]]) -> dict[str, Counts]:
        return {key: summed(groups[key], MESSAGE_FIELDS) for key in sorted(groups)}

    return added(by_kind), added(by_channel), added(by_day)


@dataclass(frozen=True)
class Network:
    """A tenant as the dashboard names it: its name, time zone and stores (id: name)."""

    name: str
    timezone: str
    stores: dict[str, str]


@dataclass(frozen=True)
class HomeReads:
    """What Início reads: the trend's snapshots (of the network, or of each store in
    scope), the last closed month's snapshot of each store in scope, and each store's
    month-so-far counters."""

    trend: list[MonthSnapshot]
    closed: dict[str, MonthSnapshot]
    so_far: dict[str, Counts]


@dataclass(frozen=True)
class LogLine:
    """A message of the log, without its text: masked contact only."""

    at: str
    kind: str
    channel: str
    status: str
    store_id: str
    contact: str
    cost: int
    error: str


# Início's figures, in groups: the program's six, sales and customers, points
HOME_GROUPS = (
    (
        "Programa de fidelidade",
        (
            "customers_with_points",
            "customers_can_redeem",
            "discount_granted",
            "visits_with_redemption",
            "redeeming_spend",
            "earning_sales_share_bp",
        ),
    ),
    (
        "Vendas e clientes",
        (
            "sales",
            "gross_revenue",
            "revenue",
            "average_ticket",
            "active_customers",
            "new_customers",
            "returning_rate_bp",
        ),
    ),
    (
        "Pontos",
        (
            "points_issued",
            "points_redeemed",
            "points_expired",
            "points_adjusted",
            "outstanding_points",
            "liability",
        ),
    ),
)
# photographed by the snapshot at the month's first instant: "so far" shows that photograph
PHOTOGRAPHED = frozenset(
    {
        "customers_with_points",
        "customers_can_redeem",
        "active_customers",
        "outstanding_points",
        "liability",
    }
)
