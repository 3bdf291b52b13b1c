"""Monthly metrics: which days a snapshot reads, the figures it derives from per-store-day
counters and from the customers' live lots, and the comparison of two periods.

Everything stored is a count (numerators and denominators, centavos, points); ratios are
derived when shown, in basis points (1 bp = 0,01%), with integer arithmetic only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bemtevi.domain.benefits import Benefit
from bemtevi.domain.ledger import Points
from bemtevi.domain.months import first_day, month_of

NETWORK = "NETWORK"
WINDOW_DAYS = 30
ACTIVE_DAYS = 90
BASIS_POINTS = 10_000

# the per-store-day counters a snapshot adds up (DayCounterRecord's flows)
FLOWS = (
    "sales",
    "identified_sales",
    "earning_sales",
    "returning_sales",
    "revenue",
    "gross",
    "discount",
    "points_issued",
    "new_customers",
    "returns",
    "returned_amount",
    "points_reversed",
    "redemptions",
    "points_redeemed",
    "benefit_value",
    "redeeming_purchase_total",
    "redemptions_cancelled",
    "points_restored",
    "benefit_value_cancelled",
    "redeeming_purchase_cancelled",
    "points_expired",
    "points_adjusted",
)
MESSAGE_FIELDS = ("sent", "segments", "cost", "failed")
STATE = (
    "customers_with_points",
    "customers_can_redeem",
    "active_customers",
    "outstanding_points",
    "liability",
    "point_value",
    "point_value_points",
)

Counts = dict[str, int]


@dataclass(frozen=True)
class Windows:
    """The days a snapshot as of `as_of` describes (tenant-local; `as_of` itself is not
    included: the snapshot is the state at its first instant). The month is the month of
    the day before, to date: as of the 1st, the whole previous month."""

    as_of: date

    @property
    def month(self) -> str:
        return month_of(self.as_of - timedelta(days=1))

    @property
    def month_days(self) -> list[date]:
        return _days(first_day(self.month), self.as_of)

    @property
    def window_days(self) -> list[date]:
        return _days(self.as_of - timedelta(days=WINDOW_DAYS), self.as_of)

    @property
    def active_days(self) -> list[date]:
        return _days(self.as_of - timedelta(days=ACTIVE_DAYS), self.as_of)

    @property
    def detail_days(self) -> list[date]:
        """Days whose counters and message counters are read in full."""
        return sorted({*self.month_days, *self.window_days})

    @property
    def gauge_days(self) -> list[date]:
        """Older days of which only the last-purchase gauge is read."""
        start = self.detail_days[0]
        return [day for day in self.active_days if day < start]

    def instant(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.as_of, time(0), tzinfo=zone)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days)]


def summed(items: Iterable[Mapping[str, int]], names: Iterable[str] = FLOWS) -> Counts:
    names = tuple(names)
    totals = dict.fromkeys(names, 0)
    for item in items:
        for name in names:
            totals[name] += int(item.get(name, 0) or 0)
    return totals


def summed_messages(items: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, Counts]:
    """Message counts keyed "kind:channel", added up."""
    totals: dict[str, Counts] = {}
    for item in items:
        for key, counts in item.items():
            totals[key] = summed([totals.get(key, {}), counts], MESSAGE_FIELDS)
    return dict(sorted(totals.items()))


@dataclass(frozen=True)
class PointValue:
    """What one point is worth, as a fraction: `value` centavos per `points` points."""

    value: int
    points: int


def point_value(benefits: Iterable[Benefit], today: date) -> PointValue | None:
    """The rule for the liability: points are worth what the benefit in force with the
    fewest points gives for them (the one that makes a customer "able to redeem"); among
    equals, the lowest value. None when no benefit is in force."""
    in_force = [benefit for benefit in benefits if benefit.in_force(today)]
    if not in_force:
        return None
    chosen = min(in_force, key=lambda b: (b.points, b.value, b.benefit_id))
    return PointValue(chosen.value, chosen.points)


def liability(points: int, value: PointValue | None) -> int:
    """Outstanding points in centavos, rounded down."""
    return points * value.value // value.points if value else 0


@dataclass
class _State:
    with_points: int = 0
    can_redeem: int = 0
    outstanding: int = 0


@dataclass(frozen=True)
class Holder:
    """A customer in the sparse index of customers with points: the store they last
    bought at and their live lots."""

    last_store: str | None
    points: Points = field(default_factory=Points)


def states(
    holders: Iterable[Holder],
    at: datetime,
    threshold: int | None,
    value: PointValue | None,
    active: Mapping[str, int],
) -> dict[str, Counts]:
    """Per store and for the NETWORK, at the instant `at`: customers with points and
    who can redeem (counted at the store they last bought at), outstanding points and
    their liability (at the store where the points were earned, which pays for them
    when they are redeemed elsewhere), active customers (`active`, per store)."""
    found: dict[str, _State] = {}

    def at_store(store: str) -> _State:
        return found.setdefault(store, _State())

    network = at_store(NETWORK)
    for holder in holders:
        live = [lot for lot in holder.points.lots if lot.remaining > 0 and at < lot.expires_at]
        if not live:
            continue
        scopes = [network] + ([at_store(holder.last_store)] if holder.last_store else [])
        redeemable = Points(tuple(live)).available(at)
        for scope in scopes:
            scope.with_points += 1
            scope.can_redeem += 1 if threshold and redeemable >= threshold else 0
        for lot in live:
            at_store(lot.store_id).outstanding += lot.remaining
            network.outstanding += lot.remaining
    for store in active:
        at_store(store)
    result = {}
    for store, state in found.items():
        count = sum(active.values()) if store == NETWORK else active.get(store, 0)
        result[store] = {
            "customers_with_points": state.with_points,
            "customers_can_redeem": state.can_redeem,
            "active_customers": count,
            "outstanding_points": state.outstanding,
            "liability": liability(state.outstanding, value),
            "point_value": value.value if value else 0,
            "point_value_points": value.points if value else 0,
        }
    return result


def ratio_bp(numerator: int, denominator: int) -> int | None:
    """numerator / denominator in basis points, rounded half away from zero."""
    if denominator == 0:
        return None
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    numerator, denominator = abs(numerator), abs(denominator)
    return sign * ((2 * numerator * BASIS_POINTS + denominator) // (2 * denominator))


def _per(numerator: int, denominator: int) -> int | None:
    return numerator // denominator if denominator > 0 else None


def loyalty(window: Counts, state: Counts) -> dict[str, int | None]:
    """The six loyalty figures: state at the snapshot, flows over the last 30 days."""
    return {
        "customers_with_points": state.get("customers_with_points", 0),
        "customers_can_redeem": state.get("customers_can_redeem", 0),
        "discount_granted": window["benefit_value"] - window["benefit_value_cancelled"],
        "visits_with_redemption": window["redemptions"] - window["redemptions_cancelled"],
        "redeeming_spend": window["redeeming_purchase_total"]
        - window["redeeming_purchase_cancelled"],
        "earning_sales_share_bp": ratio_bp(window["earning_sales"], window["sales"]),
    }


def figures(
    counts: Counts,
    state: Mapping[str, int],
    messages: Mapping[str, Mapping[str, int]],
    compensation: Mapping[str, int],
) -> dict[str, int | None]:
    """What a manager reads for a month (or a range of months): flows from the counts,
    the state at the end, messages and compensation. Money in centavos; gross revenue is
    what the sales totalled before their discounts, revenue what they took net of
    discounts and returns."""
    discount = counts["benefit_value"] - counts["benefit_value_cancelled"]
    visits = counts["redemptions"] - counts["redemptions_cancelled"]
    spend = counts["redeeming_purchase_total"] - counts["redeeming_purchase_cancelled"]
    return {
        "customers_with_points": state.get("customers_with_points", 0),
        "customers_can_redeem": state.get("customers_can_redeem", 0),
        "active_customers": state.get("active_customers", 0),
        "new_customers": counts["new_customers"],
        "returning_rate_bp": ratio_bp(counts["returning_sales"], counts["identified_sales"]),
        "sales": counts["sales"],
        "gross_revenue": counts["gross"],
        "revenue": counts["revenue"] - counts["returned_amount"],
        "average_ticket": _per(counts["revenue"], counts["sales"]),
        "earning_sales_share_bp": ratio_bp(counts["earning_sales"], counts["sales"]),
        "visits_with_redemption": visits,
        "discount_granted": discount,
        "average_discount": _per(discount, visits),
        "redeeming_spend": spend,
        "spend_per_redeeming_visit": _per(spend, visits),
        "points_issued": counts["points_issued"],
        "points_redeemed": counts["points_redeemed"] - counts["points_restored"],
        "points_expired": counts["points_expired"],
        "points_adjusted": counts["points_adjusted"],
        "outstanding_points": state.get("outstanding_points", 0),
        "liability": state.get("liability", 0),
        "messages_sent": sum(item.get("sent", 0) for item in messages.values()),
        "messages_cost": sum(item.get("cost", 0) for item in messages.values()),
        "compensation_owed": compensation.get("owed", 0),
        "compensation_receivable": compensation.get("receivable", 0),
        "compensation_net": compensation.get("receivable", 0) - compensation.get("owed", 0),
    }


@dataclass(frozen=True)
class MonthSnapshot:
    """A stored snapshot, as the domain sees it."""

    scope: str
    month: str
    as_of: str
    observed_on: str
    month_counts: Counts
    last_30_days: Counts
    state: Counts
    messages: dict[str, Counts]
    compensation: Counts


def compensation_of(pairs: Iterable[tuple[str, str, int]]) -> dict[str, Counts]:
    """(payer, receiver, amount) pairs of a period into what each store owes and is
    owed, and the NETWORK's totals; a store's own part settles nothing."""
    totals: dict[str, Counts] = {NETWORK: {"owed": 0, "receivable": 0}}
    for payer, receiver, amount in pairs:
        if payer == receiver:
            continue
        totals.setdefault(payer, {"owed": 0, "receivable": 0})["owed"] += amount
        totals.setdefault(receiver, {"owed": 0, "receivable": 0})["receivable"] += amount
        totals[NETWORK]["owed"] += amount
        totals[NETWORK]["receivable"] += amount
    return totals


def view(snapshot: MonthSnapshot) -> dict[str, Any]:
    """A snapshot as the API and the CLI show it."""
    return {
        "scope": "network" if snapshot.scope == NETWORK else snapshot.scope,
        "month": snapshot.month,
        "as_of": snapshot.as_of,
        "observed_on": snapshot.observed_on,
        "last_30_days": loyalty(_all_flows(snapshot.last_30_days), snapshot.state),
        "figures": figures(
            _all_flows(snapshot.month_counts),
            snapshot.state,
            snapshot.messages,
            snapshot.compensation,
        ),
        "messages": [
            {"kind": kind, "channel": channel, **summed([counts], MESSAGE_FIELDS)}
            for key, counts in snapshot.messages.items()
            for kind, _, channel in [key.partition(":")]
        ],
        "point_value": {
            "value": snapshot.state.get("point_value", 0),
            "points": snapshot.state.get("point_value_points", 0),
        },
    }


def _all_flows(counts: Mapping[str, int]) -> Counts:
    return summed([counts])


# figures that grow with the number of months: a period shows their monthly mean, so
# that periods of different lengths compare
PER_MONTH = (
    "new_customers",
    "sales",
    "gross_revenue",
    "revenue",
    "visits_with_redemption",
    "discount_granted",
    "redeeming_spend",
    "points_issued",
    "points_redeemed",
    "points_expired",
    "points_adjusted",
    "messages_sent",
    "messages_cost",
    "compensation_owed",
    "compensation_receivable",
    "compensation_net",
)


@dataclass(frozen=True)
class Period:
    """A range of months: flows, messages and compensation added up, shown as a monthly
    mean; ratios and averages from the sums; the state of the range's last snapshot."""

    first: str
    last: str
    months: tuple[str, ...]
    figures: dict[str, int | None]


def period(first: str, last: str, snapshots: list[MonthSnapshot]) -> Period:
    inside = sorted(
        (s for s in snapshots if first <= s.month <= last), key=lambda snapshot: snapshot.month
    )
    counts = summed(s.month_counts for s in inside)
    messages = summed_messages(s.messages for s in inside)
    compensation = summed((s.compensation for s in inside), ("owed", "receivable"))
    state = inside[-1].state if inside else {}
    found = figures(counts, state, messages, compensation)
    for name in PER_MONTH:
        total = found[name]
        assert total is not None  # a per-month figure is a sum, never an undefined ratio
        found[name] = _rounded(total, len(inside)) if inside else 0
    return Period(first, last, tuple(s.month for s in inside), found)


def _rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator, rounded half away from zero."""
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def change_bp(before: int | None, after: int | None) -> int | None:
    """The change from `before` to `after`, in basis points of `before`."""
    if before is None or after is None or before == 0:
        return None
    return ratio_bp(after - before, before)


def compare(a: Period, b: Period) -> list[dict[str, Any]]:
    """Each figure in both periods and its change in %, in basis points."""
    return [
        {
            "figure": name,
            "a": a.figures[name],
            "b": b.figures[name],
            "change_bp": change_bp(a.figures[name], b.figures[name]),
        }
        for name in a.figures
    ]
