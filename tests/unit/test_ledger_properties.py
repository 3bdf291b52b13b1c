"""Random histories of sales, spending, partial returns and manual adjustments keep the
books right."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bemtevi.domain.adjustments import adjust
from bemtevi.domain.ledger import Entry, EntryKind, Lot, Points, earn, points_to_reverse, reverse
from bemtevi.domain.program import ProgramRules
from bemtevi.errors import InvalidInput

T0 = datetime(2026, 1, 1, tzinfo=UTC)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(0, 500), st.integers(0, 200)),
        st.tuples(st.just("spend"), st.integers(0, 11), st.integers(1, 300)),
        st.tuples(st.just("return"), st.integers(0, 11), st.integers(1, 100)),
        st.tuples(st.just("adjust"), st.integers(-600, 600).filter(bool), st.integers(0, 2)),
    ),
    min_size=1,
    max_size=30,
)


def spend(points: Points, lot_id: str, wanted: int, entry_id: str) -> tuple[Points, Entry]:
    """Stands for a redemption or an expiry: points leave one lot, with their entry."""
    lot = points.lot(lot_id)
    taken = min(wanted, lot.remaining) if lot else 0
    lots = tuple(
        replace(item, remaining=item.remaining - taken) if item.lot_id == lot_id else item
        for item in points.lots
    )
    entry = Entry(entry_id, EntryKind.REDEEMED, T0, -taken, "s0", lots={lot_id: -taken})
    return Points(tuple(item for item in lots if item.remaining > 0), points.debt), entry


@settings(max_examples=300, deadline=None)
@given(history=steps)
def test_balance_equals_lots_and_entries_and_is_never_negative(history):
    points, entries = Points(), []
    sales: list[tuple[str, int, int]] = []
    returned: list[int] = []
    for step, (kind, a, b) in enumerate(history):
        if kind == "sale":
            lot = Lot(
                lot_id=f"lot-{len(sales)}",
                store_id=f"s{len(sales) % 3}",
                sale_id=f"v-{len(sales)}",
                earned_at=T0 + timedelta(days=b),
                expires_at=T0 + timedelta(days=b + 180),
                pending_until=T0 + timedelta(days=b),
                amount=a,
                remaining=a,
            )
            points, entry = earn(points, lot, f"e-{step}")
            sales.append((lot.lot_id, a, a * 100 + 37))
            returned.append(0)
        elif kind == "spend" and a < len(sales):
            points, entry = spend(points, sales[a][0], b, f"s-{step}")
        elif kind == "return" and a < len(sales):
            lot_id, earned, net_total = sales[a]
            money = min(net_total - returned[a], max(1, net_total * b // 100))
            if money <= 0:
                continue
            taken = points_to_reverse(earned, net_total, returned[a], money)
            returned[a] += money
            before = points.balance
            points, entry = reverse(points, lot_id, taken, f"r-{step}", T0, "s0", f"v-{a}")
            assert before + entry.points == points.balance
            assert -entry.points + entry.debt == taken
        elif kind == "adjust":
            before = points
            try:
                decided = adjust(
                    points, ProgramRules(), UTC, a, "correção", f"s{b}", f"ajuste-{step}", T0
                )
            except InvalidInput:
                assert -a > points.balance  # refused only beyond the balance
                continue
            points, entry = decided.points, decided.entry
            assert entry.kind == EntryKind.ADJUSTED
            assert entry.reason == "correção"
            assert entry.points - entry.debt == a  # what was credited, plus the debt paid
            assert points.debt == (max(0, before.debt - a) if a > 0 else before.debt)
            assert sum(decided.adjusted_by_store.values()) == entry.points
        else:
            continue
        entries.append(entry)
        assert points.balance == sum(lot.remaining for lot in points.lots) >= 0
        assert points.balance == sum(entry.points for entry in entries)
        assert points.debt == sum(entry.debt for entry in entries) >= 0
        assert all(lot.remaining > 0 for lot in points.lots)


@settings(max_examples=300, deadline=None)
@given(
    earned=st.integers(0, 10_000),
    net=st.integers(1, 1_000_000),
    cuts=st.lists(st.integers(1, 1000), max_size=10),
)
def test_partial_returns_add_up_to_the_whole(earned, net, cuts):
    returned = taken = 0
    for cut in cuts:
        step = min(cut, net - returned)
        if step <= 0:
            break
        taken += points_to_reverse(earned, net, returned, step)
        returned += step
    taken += points_to_reverse(earned, net, returned, net - returned)
    assert taken == earned


@settings(max_examples=200, deadline=None)
@given(owed=st.integers(0, 500), new=st.integers(0, 500))
def test_debt_is_paid_first_by_new_points(owed, new):
    lot = Lot("l", "s", "v", T0, T0 + timedelta(days=180), T0, new, new)
    after, entry = earn(Points(debt=owed), lot, "e")
    assert after.debt == max(0, owed - new)
    assert after.balance == max(0, new - owed)
    assert entry.points == after.balance
    assert entry.debt == -min(owed, new)


def test_a_return_takes_from_its_own_lot_then_the_earliest_expiry():
    lots = (
        Lot("a", "s1", "v-a", T0, T0 + timedelta(days=30), T0, 10, 10),
        Lot("b", "s1", "v-b", T0, T0 + timedelta(days=10), T0, 10, 10),
        Lot("c", "s1", "v-c", T0, T0 + timedelta(days=20), T0, 10, 4),
    )
    after, entry = reverse(Points(lots), "c", 18, "r", T0, "s1", "v-c")
    assert entry.lots == {"c": -4, "b": -10, "a": -4}
    assert (after.balance, after.debt) == (6, 0)
    after, entry = reverse(after, "a", 10, "r2", T0, "s1", "v-a")
    assert (after.balance, after.debt, entry.points, entry.debt) == (0, 4, -6, 4)


def test_available_and_next_expiry():
    lots = (
        Lot("a", "s", "v", T0, T0 + timedelta(days=30), T0 + timedelta(days=7), 10, 10),
        Lot("b", "s", "v", T0, T0 + timedelta(days=20), T0, 5, 5),
    )
    points = Points(lots)
    assert points.available(T0) == 5
    assert points.available(T0 + timedelta(days=7)) == 15
    assert points.available(T0 + timedelta(days=25)) == 10
    assert points.next_expiry() == T0 + timedelta(days=20)
    assert points.available_from(5) == T0
    assert points.available_from(12) == T0 + timedelta(days=7)
    assert points.available_from(16) is None
