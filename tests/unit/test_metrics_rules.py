"""Metric formulas: the days a snapshot covers, state from live lots, ratios without
floats, the liability rule and the comparison of two periods."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.benefits import Benefit
from bemtevi.domain.ledger import Lot, Points
from bemtevi.domain.metrics import (
    NETWORK,
    Holder,
    MonthSnapshot,
    PointValue,
    Windows,
    change_bp,
    compare,
    compensation_of,
    liability,
    loyalty,
    period,
    point_value,
    ratio_bp,
    states,
    summed,
)
from bemtevi.domain.months import months_between, next_month, parsed_range, previous_month
from bemtevi.domain.schedule import monthly_due
from bemtevi.errors import InvalidInput

ZONE = ZoneInfo("America/Sao_Paulo")


def test_as_of_the_first_the_snapshot_is_the_whole_previous_month():
    windows = Windows(date(2026, 10, 1))
    assert windows.month == "2026-09"
    assert (windows.month_days[0], windows.month_days[-1], len(windows.month_days)) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
        30,
    )
    assert (windows.window_days[0], windows.window_days[-1]) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
    )
    assert len(windows.active_days) == 90
    assert windows.instant(ZONE) == datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


def test_as_of_any_other_date_it_is_the_month_to_date_and_31_days_of_detail():
    windows = Windows(date(2026, 3, 15))
    assert windows.month == "2026-03"
    assert len(windows.month_days) == 14
    assert windows.detail_days[0] == date(2026, 2, 13)
    assert len(windows.detail_days) + len(windows.gauge_days) == 90
    assert Windows(date(2026, 3, 1)).detail_days[0] == date(2026, 1, 30)


def _lot(store: str, remaining: int, expires: datetime, pending: datetime | None = None) -> Lot:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return Lot(
        f"{store}:x{remaining}", store, "x", start, expires, pending or start, 100, remaining
    )


def test_state_counts_customers_where_they_last_bought_and_points_where_earned():
    at = datetime(2026, 10, 1, 3, tzinfo=UTC)
    later, earlier = at + timedelta(days=30), at - timedelta(seconds=1)
    holders = [
        Holder("a", Points((_lot("a", 60, later), _lot("b", 40, later)))),
        Holder("b", Points((_lot("b", 30, later),))),
        Holder("b", Points((_lot("a", 80, earlier),))),  # expired, not swept yet
        Holder("a", Points((_lot("a", 90, later, pending=later),))),  # pending: can't redeem
    ]
    found = states(holders, at, 50, PointValue(1000, 50), {"a": 3, "b": 1, "c": 0})
    assert found[NETWORK] == {
        "customers_with_points": 3,
        "customers_can_redeem": 1,
        "active_customers": 4,
        "outstanding_points": 220,
        "liability": 4400,
        "point_value": 1000,
        "point_value_points": 50,
    }
    assert (found["a"]["customers_with_points"], found["a"]["outstanding_points"]) == (2, 150)
    assert (found["b"]["customers_with_points"], found["b"]["outstanding_points"]) == (1, 70)
    assert found["c"]["customers_with_points"] == 0


def test_the_point_value_is_the_benefit_in_force_with_fewest_points():
    today = date(2026, 10, 1)
    benefits = [
        Benefit("big", "R$ 60", "discount", 500, 6000),
        Benefit("small", "R$ 10", "discount", 100, 1000),
        Benefit("small-cheaper", "R$ 8", "discount", 100, 800),
        Benefit("old", "R$ 50", "discount", 10, 5000, ends_on=date(2026, 9, 30)),
    ]
    assert point_value(benefits, today) == PointValue(800, 100)
    assert point_value([], today) is None
    assert liability(1999, PointValue(1000, 100)) == 19990
    assert liability(3, PointValue(1000, 7)) == 428
    assert liability(100, None) == 0


@pytest.mark.parametrize(
    ("numerator", "denominator", "bp"),
    [(2, 3, 6667), (1, 3, 3333), (1, 2, 5000), (0, 5, 0), (-1, 3, -3333), (1, 0, None)],
)
def test_ratios_are_basis_points_without_floats(numerator, denominator, bp):
    assert ratio_bp(numerator, denominator) == bp


def test_the_six_loyalty_figures_net_of_cancellations():
    window = summed(
        [
            {"sales": 10, "earning_sales": 4, "redemptions": 3, "benefit_value": 3000},
            {"redemptions_cancelled": 1, "benefit_value_cancelled": 1000},
            {"redeeming_purchase_total": 24000, "redeeming_purchase_cancelled": 8000},
        ]
    )
    assert loyalty(window, {"customers_with_points": 7, "customers_can_redeem": 2}) == {
        "customers_with_points": 7,
        "customers_can_redeem": 2,
        "discount_granted": 2000,
        "visits_with_redemption": 2,
        "redeeming_spend": 16000,
        "earning_sales_share_bp": 4000,
    }


def test_compensation_per_store_leaves_the_own_part_out():
    found = compensation_of([("a", "b", 600), ("b", "b", 400), ("c", "a", 100)])
    assert found == {
        NETWORK: {"owed": 700, "receivable": 700},
        "a": {"owed": 600, "receivable": 100},
        "b": {"owed": 0, "receivable": 600},
        "c": {"owed": 100, "receivable": 0},
    }


def _month(month: str, discount: int, visits: int, spend: int, sales: int) -> MonthSnapshot:
    counts = summed([])
    counts.update(
        sales=sales,
        revenue=sales * 10000,
        benefit_value=discount,
        redemptions=visits,
        redeeming_purchase_total=spend,
    )
    state = {"customers_with_points": int(month[-2:])}
    return MonthSnapshot(NETWORK, month, month, month, counts, counts, state, {}, {})


def test_half_the_discount_and_twice_the_sales_reads_as_such():
    """The manager's question: without the minimum purchase in the messages (B),
    against the two months before (A)."""
    snapshots = [
        _month("2026-07", 20000, 10, 100000, 100),
        _month("2026-08", 20000, 10, 100000, 100),
        _month("2026-09", 10000, 10, 200000, 200),
    ]
    a = period("2026-07", "2026-08", snapshots)
    b = period("2026-09", "2026-09", snapshots)
    rows = {row["figure"]: row for row in compare(a, b)}
    assert rows["average_discount"] == {
        "figure": "average_discount",
        "a": 2000,
        "b": 1000,
        "change_bp": -5000,
    }
    assert rows["spend_per_redeeming_visit"]["change_bp"] == 10000
    assert (rows["sales"]["a"], rows["sales"]["b"], rows["sales"]["change_bp"]) == (100, 200, 10000)
    assert rows["discount_granted"]["change_bp"] == -5000
    assert rows["customers_with_points"]["a"] == 8  # the state at the end of the period
    assert period("2026-01", "2026-02", snapshots).figures["sales"] == 0


def test_a_change_from_zero_has_no_percentage():
    assert (change_bp(0, 5), change_bp(None, 5), change_bp(4, 5), change_bp(4, 2)) == (
        None,
        None,
        2500,
        -5000,
    )


def test_months_and_ranges():
    assert (next_month("2026-12"), previous_month("2026-01")) == ("2027-01", "2025-12")
    assert months_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert parsed_range("2026-06..2026-08", "a") == ("2026-06", "2026-08")
    assert parsed_range("2026-06", "a") == ("2026-06", "2026-06")
    for bad in ("2026-6", "2026-08..2026-06", "2026-13", "2020-01..2026-01"):
        with pytest.raises(InvalidInput):
            parsed_range(bad, "a")


def test_monthly_jobs_act_on_the_first_from_their_hour_in_the_tenant_time():
    first = datetime(2026, 10, 1, 0, 30, tzinfo=ZONE)
    assert not monthly_due(first, 1)
    assert monthly_due(first.replace(hour=1), 1)
    assert monthly_due(first.replace(hour=23), 1)
    assert not monthly_due(first.replace(day=2, hour=1), 1)
    # 02:10 UTC on the 1st is still the 30th in São Paulo
    assert not monthly_due(datetime(2026, 10, 1, 2, 10, tzinfo=UTC).astimezone(ZONE), 1)
