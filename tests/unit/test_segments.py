"""Segments (issue 15 item 1): checked field by field, saved as plain dicts, matched
against audience entries, narrowed to a store manager's stores."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bemtevi.domain.audience import HORIZON_WEEKS, AudienceEntry, week_of, with_sale
from bemtevi.domain.segments import (
    MAX_WINDOW_DAYS,
    Birthday,
    Range,
    Segment,
    matches,
    restricted_to,
    segment_dict,
    segment_from,
    segment_name,
)
from bemtevi.errors import InvalidInput

TODAY = date(2026, 11, 26)  # a Thursday


def customer(*sales: tuple[int, int, str], **fields) -> AudienceEntry:
    """An entry from sales given as (days ago, centavos, store), categories and brands
    from `categories` and `brands` on every sale."""
    entry = AudienceEntry(**{k: v for k, v in fields.items() if k not in ("categories", "brands")})
    for days_ago, total, store in sales:
        entry = with_sale(
            entry,
            TODAY - timedelta(days=days_ago),
            total,
            store,
            fields.get("categories", ()),
            fields.get("brands", ()),
        )
    return entry


def test_a_saved_segment_reads_back_as_it_was():
    data = {
        "days_since_purchase": {"min": 30, "max": 90},
        "purchases": {"min": 1},
        "spent": {"min": 10_000, "max": 50_000},
        "window_days": 60,
        "average_ticket": {"max": 20_000},
        "balance": {"min": 100},
        "available": {"min": 50},
        "expiring": {"min": 1},
        "expiring_days": 15,
        "birthday": {"from": "12-20", "to": "01-10"},
        "last_store_in": ["s2", "s1"],
        "stores_any": ["s3"],
        "categories": ["roupas"],
        "brands": ["Nuk"],
        "bought_days": 90,
        "new_since": "2026-01-01",
        "channel": "whatsapp",
    }
    segment = segment_from(data)

    assert segment.birthday == Birthday((12, 20), (1, 10))
    assert segment.spent == Range(10_000, 50_000)
    assert segment.new_since == date(2026, 1, 1)
    assert segment_dict(segment) == {**data, "last_store_in": ["s1", "s2"]}
    assert segment_from(segment_dict(segment)) == segment


def test_a_month_is_a_birthday_range_and_an_empty_segment_is_everyone():
    assert segment_from({"birthday": {"month": 2}}).birthday == Birthday((2, 1), (2, 31))
    assert segment_from({}) == Segment()
    assert segment_dict(Segment()) == {}
    assert matches(Segment(), AudienceEntry(), TODAY)


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"idade": {"min": 1}}, "idade", "unknown_filter"),
        ({"spent": {"min": 500, "max": 100}}, "spent", "invalid_range"),
        ({"spent": {"min": -1}}, "spent.min", "invalid_number"),
        ({"purchases": {"max": "3"}}, "purchases.max", "invalid_number"),
        ({"balance": {}}, "balance", "invalid_range"),
        ({"balance": {"minimo": 3}}, "balance", "invalid_range"),
        ({"window_days": 0}, "window_days", "invalid_number"),
        ({"bought_days": MAX_WINDOW_DAYS + 1}, "bought_days", "invalid_number"),
        ({"birthday": {"month": 13}}, "birthday.month", "invalid_number"),
        ({"birthday": {"from": "02-30", "to": "03-01"}}, "birthday.from", "invalid_month_day"),
        ({"birthday": {"from": "12-20"}}, "birthday", "invalid_birthday"),
        ({"stores_any": "s1"}, "stores_any", "invalid_names"),
        ({"categories": []}, "categories", "invalid_names"),
        ({"brands": ["  "]}, "brands", "invalid_names"),
        ({"new_since": "2026-13-01"}, "new_since", "invalid_date"),
        ({"channel": "fax"}, "channel", "invalid_channel"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(data, field, code):
    with pytest.raises(InvalidInput) as refused:
        segment_from(data)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert refused.value.message  # Portuguese, for the manager


def test_a_segment_name_is_trimmed_and_bounded():
    assert segment_name("  Inativos   90 dias ") == "Inativos 90 dias"
    with pytest.raises(InvalidInput) as refused:
        segment_name(" ")
    assert refused.value.field == "name"


def test_days_since_the_last_purchase_are_exact():
    segment = segment_from({"days_since_purchase": {"min": 30, "max": 60}})

    assert matches(segment, customer((30, 100, "s1")), TODAY)
    assert matches(segment, customer((60, 100, "s1")), TODAY)
    assert not matches(segment, customer((29, 100, "s1")), TODAY)
    assert not matches(segment, customer((61, 100, "s1")), TODAY)
    assert not matches(segment, AudienceEntry(), TODAY)  # never bought


def test_purchases_and_spend_count_the_weeks_that_overlap_the_window():
    """Today is a Thursday: the last 7 days start last Friday, in last week, so last
    week counts whole (a purchase 10 days ago, last Monday, is in) and the week before
    does not."""
    entry = customer((10, 12_000, "s1"), (2, 8_000, "s1"), (14, 50_000, "s1"))
    last_7 = {"window_days": 7}

    assert matches(segment_from({**last_7, "purchases": {"min": 2, "max": 2}}), entry, TODAY)
    assert matches(segment_from({**last_7, "spent": {"min": 20_000, "max": 20_000}}), entry, TODAY)
    assert matches(segment_from({"window_days": 30, "spent": {"min": 70_000}}), entry, TODAY)
    assert not matches(segment_from({**last_7, "purchases": {"min": 3}}), entry, TODAY)
    assert matches(segment_from({"purchases": {"max": 0}}), AudienceEntry(), TODAY)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 400), min_size=1, max_size=30),
    st.integers(1, MAX_WINDOW_DAYS),
    st.integers(0, 60),
)
def test_the_window_count_is_the_sales_of_the_overlapping_weeks(days_ago, window, idle):
    """Whatever the sales and the window, the count a segment sees is exactly the
    sales whose week overlaps the last `window` days (`idle`: days since the last
    purchase, so the entry is read later than its last write)."""
    entry = AudienceEntry()
    for ago in days_ago:
        entry = with_sale(entry, TODAY - timedelta(days=ago), 100, "s1")
    today = TODAY + timedelta(days=idle)
    first = week_of(today - timedelta(days=window - 1))
    last_week = week_of(TODAY - timedelta(days=min(days_ago)))
    expected = sum(
        1
        for ago in days_ago
        if week_of(TODAY - timedelta(days=ago)) >= first
        and last_week - week_of(TODAY - timedelta(days=ago)) < HORIZON_WEEKS
    )
    segment = Segment(purchases=Range(expected, expected), window_days=window)

    assert matches(segment, entry, today)
    assert not matches(Segment(purchases=Range(expected + 1), window_days=window), entry, today)


def test_the_window_never_needs_a_week_the_entry_dropped():
    assert MAX_WINDOW_DAYS + 6 <= 7 * HORIZON_WEEKS


def test_ticket_balance_available_and_expiring_points():
    entry = AudienceEntry(
        visits=4,
        spent=40_000,
        balance=500,
        pending=((TODAY + timedelta(days=2), 200),),
        expiring=((TODAY + timedelta(days=10), 120), (TODAY + timedelta(days=40), 300)),
    )

    assert matches(segment_from({"average_ticket": {"min": 10_000, "max": 10_000}}), entry, TODAY)
    assert matches(segment_from({"balance": {"min": 500}}), entry, TODAY)
    assert matches(segment_from({"available": {"max": 300}}), entry, TODAY)
    later = TODAY + timedelta(days=2)
    assert matches(segment_from({"available": {"min": 500}}), entry, later)
    soon = {"expiring_days": 15}
    assert matches(segment_from({**soon, "expiring": {"min": 120, "max": 120}}), entry, TODAY)
    assert not matches(segment_from({**soon, "expiring": {"min": 121}}), entry, TODAY)
    assert matches(segment_from({"expiring_days": 40, "expiring": {"min": 420}}), entry, TODAY)


@pytest.mark.parametrize(
    ("birthday", "inside"),
    [((12, 25), True), ((1, 5), True), ((12, 20), True), ((1, 10), True), ((1, 11), False)],
)
def test_a_birthday_range_wraps_the_year_end(birthday, inside):
    segment = segment_from({"birthday": {"from": "12-20", "to": "01-10"}})
    assert matches(segment, AudienceEntry(birthday=birthday), TODAY) is inside


def test_a_birthday_month_and_a_customer_without_birthday():
    segment = segment_from({"birthday": {"month": 2}})
    assert matches(segment, AudienceEntry(birthday=(2, 29)), TODAY)
    assert not matches(segment, AudienceEntry(birthday=(3, 1)), TODAY)
    assert not matches(segment, AudienceEntry(), TODAY)


def test_stores_of_the_last_purchase_and_stores_ever():
    entry = customer((40, 100, "s1"), (3, 100, "s2"))

    assert matches(segment_from({"last_store_in": ["s2", "s9"]}), entry, TODAY)
    assert not matches(segment_from({"last_store_in": ["s1"]}), entry, TODAY)
    assert matches(segment_from({"stores_any": ["s1"]}), entry, TODAY)
    assert not matches(segment_from({"stores_any": ["s3"]}), entry, TODAY)


def test_categories_and_brands_bought_in_the_window():
    entry = customer((60, 100, "s1"), categories=["Acessórios"], brands=["Nuk"])

    assert matches(segment_from({"categories": ["acessorios", "roupas"]}), entry, TODAY) is False
    assert matches(segment_from({"categories": ["acessorios"], "bought_days": 90}), entry, TODAY)
    both = {"categories": ["acessorios"], "brands": ["Nuk"], "bought_days": 90}
    assert matches(segment_from(both), entry, TODAY)
    other_brand = {**both, "brands": ["Chicco"]}
    assert not matches(segment_from(other_brand), entry, TODAY)


def test_new_customers_and_reach_on_a_channel():
    entry = AudienceEntry(joined_on=date(2026, 10, 1), reach=frozenset({"email"}))

    assert matches(segment_from({"new_since": "2026-10-01"}), entry, TODAY)
    assert not matches(segment_from({"new_since": "2026-10-02"}), entry, TODAY)
    assert matches(segment_from({"channel": "email"}), entry, TODAY)
    assert not matches(segment_from({"channel": "sms"}), entry, TODAY)


def test_filters_combine_with_and():
    entry = customer((5, 30_000, "s1"), reach=frozenset({"sms"}))
    segment = segment_from({"stores_any": ["s1"], "channel": "sms", "spent": {"min": 30_000}})

    assert matches(segment, entry, TODAY)
    assert not matches(segment_from({**segment_dict(segment), "channel": "email"}), entry, TODAY)


def test_a_store_managers_segment_keeps_to_their_stores():
    mine = frozenset({"s1", "s2"})

    assert restricted_to(Segment(), mine).stores_any == mine
    narrowed = restricted_to(segment_from({"stores_any": ["s2", "s3"]}), mine)
    assert narrowed.stores_any == {"s2"}
    assert not matches(narrowed, customer((3, 100, "s3")), TODAY)
    assert matches(narrowed, customer((3, 100, "s2")), TODAY)
    for data, field in (
        ({"stores_any": ["s3"]}, "stores_any"),
        ({"last_store_in": ["s3"]}, "last_store_in"),
    ):
        with pytest.raises(InvalidInput) as refused:
            restricted_to(segment_from(data), mine)
        assert refused.value.field == field
    with pytest.raises(InvalidInput):
        restricted_to(Segment(), frozenset())
