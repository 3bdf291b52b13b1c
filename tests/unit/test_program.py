from datetime import UTC, datetime, timedelta

import pytest

from bemtevi.domain.program import (
    ItemValue,
    ProgramRules,
    expires_at,
    milli_from_text,
    pending_until,
    points_for,
    program_from,
)
from bemtevi.errors import InvalidInput

DEFAULT = ProgramRules()


@pytest.mark.parametrize(
    ("net", "points"), [(0, 0), (99, 0), (100, 1), (15990, 159), (1_000_000_00, 1_000_000)]
)
def test_one_point_per_real_rounded_down(net, points):
    assert points_for(DEFAULT, "centro", net, []) == points


def test_rates_with_decimals_and_per_store():
    rules = program_from("2,5", store_rates={"shopping": "0.5"})
    assert points_for(rules, "centro", 1000, []) == 25
    assert points_for(rules, "shopping", 1000, []) == 5
    assert points_for(rules, "centro", 39, []) == 0


def test_category_multipliers_weigh_each_items_share():
    rules = program_from("1", category_multipliers={"roupas": "3"})
    items = [ItemValue(5000, "roupas"), ItemValue(5000, None)]
    assert points_for(rules, "x", 10000, items) == 200
    # a discount spreads over the items: 80 reais net, still weighted 2x
    assert points_for(rules, "x", 8000, items) == 160
    assert points_for(rules, "x", 10000, [ItemValue(10000, "outros")]) == 100


def test_items_without_value_or_multipliers_count_once():
    rules = program_from("1", category_multipliers={"roupas": "2"})
    assert points_for(rules, "x", 10000, [ItemValue(0, "roupas")]) == 100
    assert points_for(DEFAULT, "x", 10000, [ItemValue(10000, "roupas")]) == 100


def test_validity_and_pending_count_from_the_sale():
    earned = datetime(2026, 1, 31, 23, 59, tzinfo=UTC)
    rules = program_from(validity_days=30, pending_days=7)
    assert expires_at(rules, earned) == earned + timedelta(days=30)
    assert pending_until(rules, earned) == earned + timedelta(days=7)


@pytest.mark.parametrize("text", ["-1", "abc", "1.0001", ""])
def test_bad_rates_are_refused(text):
    with pytest.raises(InvalidInput):
        milli_from_text(text, "points_per_real")


@pytest.mark.parametrize(
    ("validity", "pending"), [(0, 0), (3651, 0), (30, 30), (180, -1), (180, 91)]
)
def test_bad_periods_are_refused(validity, pending):
    with pytest.raises(InvalidInput):
        program_from(validity_days=validity, pending_days=pending)
