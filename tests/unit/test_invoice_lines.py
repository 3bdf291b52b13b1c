"""Invoice lines from a period's pairs, the network's balance, and where late items go."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bemtevi.domain.compensation import (
    Filing,
    InvoiceLine,
    PairFlow,
    Unbalanced,
    cancellation_filing,
    check_balanced,
    filing_for,
    invoice_lines,
    statement_totals,
)
from bemtevi.domain.money import plain_reais


def test_each_pair_becomes_a_line_on_each_side_and_the_own_part_settles_nothing():
    flows = [
        PairFlow("a", "b", 600, 30, 1),
        PairFlow("b", "b", 400, 20, 1),
        PairFlow("b", "a", 250, 25, 2),
        PairFlow("c", "a", 100, 10, 1, origin="2026-08"),
    ]
    lines = invoice_lines("2026-09", flows)
    by_key = {(line.store, line.counterparty): line for line in lines}
    assert sorted(by_key) == [("a", "b"), ("a", "c"), ("b", "a"), ("c", "a")]
    assert (by_key[("a", "b")].owes, by_key[("a", "b")].receives, by_key[("a", "b")].net) == (
        600,
        250,
        -350,
    )
    assert by_key[("b", "a")].net == 350
    late = by_key[("a", "c")]
    assert (late.receives, late.late_receives, late.late_from) == (100, 100, ("2026-08",))
    assert late.line_id == "2026-09:a:c"
    assert check_balanced(lines) == (950, 950)
    assert statement_totals([by_key[("a", "b")], late]) == {
        "owes": 600,
        "receives": 350,
        "net": -250,
        "late_owes": 0,
        "late_receives": 100,
    }


def test_a_pair_cancelled_within_its_period_leaves_no_line():
    assert invoice_lines("2026-09", [PairFlow("a", "b", 0, 0, 0)]) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcd"),
            st.sampled_from("abcd"),
            st.integers(-10_000, 10_000),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_any_set_of_pairs_balances_across_the_network(pairs):
    flows = [
        PairFlow(payer, receiver, amount, abs(amount), 1, "2026-01" if late else None)
        for payer, receiver, amount, late in pairs
    ]
    lines = invoice_lines("2026-02", flows)
    owed, receivable = check_balanced(lines)
    assert owed == receivable == sum(f.amount for f in flows if f.payer != f.receiver)
    assert sum(line.net for line in lines) == 0


def test_unbalanced_lines_fail_loudly():
    with pytest.raises(Unbalanced) as raised:
        check_balanced([InvoiceLine("2026-09", "a", "b", owes=600)])
    assert raised.value.code == "compensation_unbalanced"
    mirrored_wrong = [
        InvoiceLine("2026-09", "a", "b", owes=600),
        InvoiceLine("2026-09", "b", "a", receives=500),
        InvoiceLine("2026-09", "c", "d", receives=100),
    ]
    with pytest.raises(Unbalanced):
        check_balanced(mirrored_wrong)


def test_an_item_of_a_closed_month_goes_to_the_first_open_one():
    closed = {"2026-08", "2026-09"}
    assert filing_for("2026-10", closed.__contains__) == Filing("2026-10", "2026-10")
    filed = filing_for("2026-08", closed.__contains__)
    assert (filed, filed.late) == (Filing("2026-10", "2026-08"), True)
    assert filing_for("2026-12", {"2026-12"}.__contains__) == Filing("2027-01", "2026-12")


def test_a_cancellation_reverses_its_own_items_while_their_period_is_open():
    late = Filing("2026-10", "2026-09")
    assert cancellation_filing(late, set().__contains__) == late
    on_time = Filing("2026-09", "2026-09")
    assert cancellation_filing(on_time, {"2026-09"}.__contains__) == Filing("2026-10", "2026-09")
    assert cancellation_filing(late, {"2026-10"}.__contains__) == Filing("2026-11", "2026-10")


@pytest.mark.parametrize(
    ("centavos", "text"), [(0, "0,00"), (5, "0,05"), (123456, "1234,56"), (-600, "-6,00")]
)
def test_amounts_for_a_brazilian_spreadsheet(centavos, text):
    assert plain_reais(centavos) == text
