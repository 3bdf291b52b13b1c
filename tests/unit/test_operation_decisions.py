"""The pure decisions of a sale, a redemption and its cancellation, and a return: plain
values in, plain values out, no AWS."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bemtevi.domain import earning, reversal, spending
from bemtevi.domain.benefits import Benefit
from bemtevi.domain.customers import Purchases
from bemtevi.domain.ledger import EntryKind, Lot, Points
from bemtevi.domain.program import ProgramRules

SP = ZoneInfo("America/Sao_Paulo")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
PROGRAM = ProgramRules(points_per_real_milli=1000, validity_days=180)


def lot(lot_id: str, store: str, remaining: int, days_left: int = 90) -> Lot:
    return Lot(
        lot_id=lot_id,
        store_id=store,
        sale_id=lot_id,
        earned_at=NOW - timedelta(days=180 - days_left),
        expires_at=NOW + timedelta(days=days_left),
        pending_until=NOW - timedelta(days=1),
        amount=remaining,
        remaining=remaining,
    )


def sale(total: int = 12_345, discount: int = 345, at: datetime = NOW) -> earning.Sale:
    return earning.Sale("centro", "v1", at, total, discount, seller="ana")


def test_a_first_sale_earns_its_points_and_is_a_first_credit():
    credited = earning.credit(PROGRAM, SP, sale(), Points(), Purchases(), False, NOW)
    assert (credited.points_earned, credited.lot_id, credited.points.balance) == (
        120,
        "centro:v1",
        120,
    )
    assert [entry.kind for entry in credited.entries] == [EntryKind.EARNED]
    assert credited.first_credit
    assert (credited.after.visits, credited.after.total_spent) == (1, 12_000)
    assert earning.day_counts(sale(), credited, new_customer=True) == {
        "sales": 1,
        "identified_sales": 1,
        "earning_sales": 1,
        "revenue": 12_000,
        "gross": 12_345,
        "discount": 345,
        "points_issued": 120,
        "new_customers": 1,
        "returning_sales": 0,
    }


def test_a_sale_posted_after_its_validity_earns_points_already_expired():
    late = sale(at=NOW - timedelta(days=200))
    credited = earning.credit(PROGRAM, SP, late, Points(), Purchases(), True, NOW)
    assert credited.points_earned == 120
    assert credited.points.balance == 0
    assert [entry.kind for entry in credited.entries] == [EntryKind.EARNED, EntryKind.EXPIRED]
    assert credited.expired is not None
    assert credited.expired.points == -120
    assert not credited.first_credit


def test_an_anonymous_sale_counts_but_identifies_nobody():
    counts = earning.day_counts(sale(), None, new_customer=False)
    assert (counts["identified_sales"], counts["points_issued"], counts["revenue"]) == (
        0,
        0,
        12_000,
    )


def test_the_latest_purchase_moves_the_gauge_and_a_late_one_does_not():
    before = Purchases(NOW, NOW, 1, 500, "norte", None)
    later = earning.credit(
        PROGRAM, SP, sale(at=NOW + timedelta(days=2)), Points(), before, True, NOW
    )
    assert earning.last_purchase_moves(SP, later.before, later.after) == [
        ("centro", "2026-03-12", 1),
        ("norte", "2026-03-10", -1),
    ]
    older = earning.credit(
        PROGRAM, SP, sale(at=NOW - timedelta(days=2)), Points(), before, True, NOW
    )
    assert earning.last_purchase_moves(SP, older.before, older.after) == []


BENEFIT = Benefit("b1", "R$ 10", "discount", points=100, value=1_000, minimum_purchase=5_000)


def test_a_redemption_takes_the_earliest_lots_and_splits_the_value_by_origin():
    points = Points((lot("a", "norte", 30, days_left=10), lot("b", "centro", 200)))
    decided = spending.redemption(BENEFIT, points, "centro", "r1", 6_000, NOW.date(), NOW)
    assert isinstance(decided, spending.Redemption)
    assert [(item.lot_id, take) for item, take in decided.consumed] == [("a", 30), ("b", 70)]
    assert decided.points_by_store == {"norte": 30, "centro": 70}
    assert (decided.owed, decided.own) == ({"norte": 300}, 700)
    assert decided.points.balance == 130


def test_a_redemption_is_refused_with_its_reason():
    points = Points((lot("a", "norte", 150),))
    assert spending.redemption(BENEFIT, points, "c", "r1", 4_999, NOW.date(), NOW) == (
        "below_minimum_purchase"
    )
    expiring = Points((lot("a", "norte", 150, days_left=0),))
    assert spending.redemption(BENEFIT, expiring, "c", "r1", 6_000, NOW.date(), NOW) == (
        "insufficient_points"
    )


def test_a_cancellation_gives_the_points_back_to_their_lots():
    points = Points((lot("a", "norte", 30, days_left=10), lot("b", "centro", 200)))
    decided = spending.redemption(BENEFIT, points, "centro", "r1", 6_000, NOW.date(), NOW)
    assert isinstance(decided, spending.Redemption)
    stored = [spending.consumed_json(item, take) for item, take in decided.consumed]
    back = [spending.consumed_from_json(item) for item in stored]
    undone = spending.cancellation(decided.points, back, "centro", "r1", NOW)
    assert (undone.returned, undone.expired_again, undone.points.balance) == (100, 0, 230)
    later = NOW + timedelta(days=20)
    undone_late = spending.cancellation(decided.points, back, "centro", "r1", later)
    assert (undone_late.returned, undone_late.expired_again) == (100, 30)


def test_a_return_takes_back_points_in_proportion_and_refuses_what_is_left_over():
    taken = reversal.returned(earned=120, net_total=12_000, returned_before=0, requested=3_000)
    assert taken == reversal.Returned(3_000, 30)
    assert reversal.returned(120, 12_000, 12_000, None) == reversal.ALREADY_RETURNED
    assert reversal.returned(120, 12_000, 10_000, 2_001) == reversal.EXCEEDS_SALE
    assert reversal.returned(120, 12_000, 3_000, None) == reversal.Returned(9_000, 90)


def test_a_return_of_spent_points_leaves_a_debt():
    points = Points((lot("centro:v1", "centro", 10),))
    origin = reversal.Origin("centro", "v1", "centro:v1", "d1")
    purchases = Purchases(NOW, NOW, 1, 12_000, "centro", None)
    done = reversal.reversal(points, purchases, origin, reversal.Returned(3_000, 30), NOW)
    assert (done.recovered, done.debt_created, done.points.debt) == (10, 20, 20)
    assert done.purchases.total_spent == 9_000
    assert [entry.entry_id for entry in done.entries] == ["return:centro:v1:d1"]
    nothing = reversal.reversal(points, purchases, origin, reversal.Returned(50, 0), NOW)
    assert nothing.entries == ()
