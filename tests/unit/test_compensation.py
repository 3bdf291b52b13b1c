import pytest
from hypothesis import given
from hypothesis import strategies as st

from bemtevi.domain.compensation import payables, split_value
from bemtevi.domain.money import brl, centavos_from_text
from bemtevi.errors import InvalidInput


def test_the_example_of_the_issue():
    # R$ 10,00 for 50 points, 30 earned at A and 20 at B, redeemed at B: A owes B R$ 6,00
    owed, own = payables(1000, {"A": 30, "B": 20}, redeeming_store="B")
    assert (owed, own) == ({"A": 600}, 400)


@pytest.mark.parametrize(
    ("value", "points", "parts"),
    [
        (1000, {"a": 1, "b": 1, "c": 1}, {"a": 334, "b": 333, "c": 333}),
        (1, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 0, "c": 0}),
        (2, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 0}),
        (1001, {"a": 7, "b": 3, "c": 5}, {"a": 467, "b": 200, "c": 334}),
        (999, {"x": 33, "y": 33, "z": 34}, {"x": 330, "y": 330, "z": 339}),
        (0, {"a": 5, "b": 5}, {"a": 0, "b": 0}),
    ],
)
def test_three_way_splits_with_awkward_centavos_add_up(value, points, parts):
    assert split_value(value, points) == parts
    assert sum(parts.values()) == value


@given(
    value=st.integers(0, 10_000_000),
    points=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 10_000), min_size=1),
)
def test_any_split_adds_up_and_each_part_is_within_a_centavo_of_its_share(value, points):
    parts = split_value(value, points)
    assert sum(parts.values()) == value
    total = sum(points.values())
    for store, part in parts.items():
        assert abs(part * total - value * points[store]) < total


def test_a_redemption_of_own_points_settles_nothing():
    assert payables(1500, {"B": 50}, "B") == ({}, 1500)


@pytest.mark.parametrize(
    ("text", "centavos"), [("10", 1000), ("10,5", 1050), ("1.234,56", 123456), ("R$ 0,99", 99)]
)
def test_money_typed_the_brazilian_way(text, centavos):
    assert centavos_from_text(text, "value") == centavos


@pytest.mark.parametrize("text", ["-1", "1,234", "dez", "1,2,3"])
def test_bad_money_is_refused(text):
    with pytest.raises(InvalidInput):
        centavos_from_text(text, "value")


def test_money_reads_as_reais():
    assert brl(123456).replace("\xa0", " ") == "R$ 1.234,56"
