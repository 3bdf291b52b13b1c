"""Attribution (issue 15 item 5): the membership markers a customer item carries, the
campaigns a sale and a return count to, the day counters they add to, and a scripted
campaign whose figures are computed by hand (items 6 and 9)."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bemtevi.domain.attribution import (
    MAX_MEMBERSHIPS,
    CounterDelta,
    Membership,
    Role,
    campaigns_credited,
    campaigns_debited,
    live,
    markers_attribute,
    markers_from,
    return_deltas,
    sale_deltas,
    with_membership,
)
from bemtevi.domain.campaigns import campaign_figures, roi_text

SP = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 11, 2, 10, tzinfo=SP)
END = START + timedelta(days=7)


def member(campaign: str = "k1", role: Role = Role.RECIPIENT, days: int = 7, **kw) -> Membership:
    return Membership(campaign, role, START, START + timedelta(days=days), **kw)


def test_a_sale_counts_inside_the_window_only():
    markers = (member("k1"), member("k2", Role.CONTROL, days=3))

    assert campaigns_credited(markers, START - timedelta(seconds=1)) == []
    assert campaigns_credited(markers, START) == [("k1", Role.RECIPIENT), ("k2", Role.CONTROL)]
    assert campaigns_credited(markers, START + timedelta(days=5)) == [("k1", Role.RECIPIENT)]
    assert campaigns_credited(markers, END) == []


def test_a_return_takes_off_only_while_the_window_is_open():
    markers = (member("k1"),)
    sale = START + timedelta(days=1)

    assert campaigns_debited(markers, sale, sale + timedelta(days=2)) == [("k1", Role.RECIPIENT)]
    assert campaigns_debited(markers, sale, END) == []
    assert campaigns_debited(markers, START - timedelta(days=1), START + timedelta(hours=1)) == []


def test_joining_drops_expired_markers_and_never_joins_twice():
    old = Membership("k0", Role.RECIPIENT, START - timedelta(days=30), START - timedelta(days=23))
    first = with_membership((old,), member("k1"), START)
    again = with_membership(first, member("k1", Role.CONTROL), START + timedelta(hours=1))

    assert first == (member("k1"),)
    assert again == first


def test_markers_are_bounded_keeping_those_that_end_last():
    markers: tuple[Membership, ...] = ()
    for n in range(MAX_MEMBERSHIPS + 3):
        markers = with_membership(markers, member(f"k{n}", days=7 + n), START)

    assert len(markers) == MAX_MEMBERSHIPS
    assert [m.campaign_id for m in markers] == [f"k{n}" for n in range(3, MAX_MEMBERSHIPS + 3)]
    assert live(markers, START + timedelta(days=7 + 5)) == markers[3:]


moments = st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)


@given(
    st.lists(
        st.tuples(
            st.text("abc0123", min_size=1, max_size=12),
            st.sampled_from(Role),
            moments,
            st.integers(1, 90),
            st.sampled_from(["", "sms", "email", "whatsapp"]),
            st.booleans(),
        ),
        max_size=MAX_MEMBERSHIPS,
        unique_by=lambda row: row[0],
    )
)
def test_markers_read_back_from_the_customer_item(rows):
    markers = tuple(
        sorted(
            (
                Membership(c, role, start, start + timedelta(days=d), channel, bought)
                for c, role, start, d, channel, bought in rows
            ),
            key=lambda m: (m.starts_at, m.campaign_id),
        )
    )
    assert markers_from(markers_attribute(markers)) == markers


def test_a_sale_adds_to_each_campaign_it_counts_to_on_its_local_day():
    markers = (member("k1", channel="sms"), member("k2", Role.CONTROL))
    late_evening = datetime(2026, 11, 4, 2, 30, tzinfo=UTC)  # 23:30 on the 3rd in São Paulo

    after, deltas = sale_deltas(markers, late_evening, 12_345, "s1", SP)

    assert deltas == [
        CounterDelta(
            "k1",
            "2026-11-03",
            "s1",
            {
                "r_sales": 1,
                "r_revenue": 12_345,
                "r_buyers": 1,
                "r_sms_sales": 1,
                "r_sms_revenue": 12_345,
                "r_sms_buyers": 1,
            },
        ),
        CounterDelta("k2", "2026-11-03", "s1", {"c_sales": 1, "c_revenue": 12_345, "c_buyers": 1}),
    ]
    assert all(marker.bought for marker in after)
    _, again = sale_deltas(after, late_evening, 100, "s1", SP)
    assert [delta.add["c_buyers"] for delta in again if delta.campaign_id == "k2"] == [0]


def test_a_sale_outside_every_window_adds_nothing_and_changes_no_marker():
    markers = (member("k1"),)
    assert sale_deltas(markers, END, 5_000, "s1", SP) == (markers, [])


def test_the_scripted_campaign_by_hand():
    """Four recipients (A, B, C, D) by SMS and two control members (X, Y), 7 days
    from 2 Nov 10:00. A buys R$ 100,00 and R$ 50,00 and returns R$ 30,00 inside the
    window; B buys R$ 200,00 and returns it all after the window (nothing changes);
    D buys R$ 60,00; C buys R$ 80,00 a day after the window (not counted); X buys
    R$ 120,00; Y buys nothing. Four SMS of one segment at R$ 0,07.

    By hand: recipients' revenue 100 + 50 - 30 + 200 + 60 = R$ 380,00 (4 sales, 3
    buyers, R$ 95,00 per head); control's R$ 120,00 (R$ 60,00 per head); incremental
    (95 - 60) x 4 = R$ 140,00; cost R$ 0,28; ROI 380 / 0,28 = R$ 1.357,14 per R$ 1,00;
    incremental ROI 140 / 0,28 = R$ 500,00."""
    people = {name: (member(channel="sms"),) for name in "ABCD"}
    people |= {name: (member(role=Role.CONTROL),) for name in "XY"}
    counters: list[dict[str, int]] = [
        {"recipients": 4, "delivered": 4, "failed": 0, "cost": 28, "control": 2}
    ]

    def sale(name: str, days: float, amount: int) -> datetime:
        at = START + timedelta(days=days)
        people[name], deltas = sale_deltas(people[name], at, amount, "s1", SP)
        counters.extend(delta.add for delta in deltas)
        return at

    def returned(name: str, sold: datetime, days: float, amount: int) -> None:
        at = START + timedelta(days=days)
        counters.extend(d.add for d in return_deltas(people[name], sold, at, amount, "s1", SP))

    first = sale("A", 1, 10_000)
    sale("A", 3, 5_000)
    returned("A", first, 4, 3_000)
    b_sale = sale("B", 2, 20_000)
    returned("B", b_sale, 9, 20_000)
    sale("D", 6.9, 6_000)
    sale("C", 8, 8_000)
    sale("X", 5, 12_000)
    total: Counter[str] = Counter()
    for item in counters:
        total.update(item)

    figures = campaign_figures(total)

    assert (figures.recipient.sales, figures.recipient.buyers) == (4, 3)
    assert figures.recipient.revenue == 38_000
    assert figures.recipient.revenue_per_head == 9_500
    assert figures.recipient.average_ticket == 9_500
    assert (figures.control.members, figures.control.buyers, figures.control.revenue) == (
        2,
        1,
        12_000,
    )
    assert figures.control.revenue_per_head == 6_000
    assert figures.incremental_revenue == 14_000
    assert figures.roi == 135_714
    assert roi_text(figures.roi) == "R$\xa01.357,14 por R$\xa01,00"
    assert figures.incremental_roi == 50_000
    assert total["r_sms_revenue"] == 38_000
