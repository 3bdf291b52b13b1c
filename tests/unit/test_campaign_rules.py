"""Campaign rules (issue 15 items 3, 4, 6, 7): the control group and the automatic
messages' holdout, the cost estimate, the figures and their rounding."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bemtevi.domain.campaigns import (
    campaign_figures,
    control_percent,
    estimated_cost,
    in_control_group,
    in_holdout,
    message_cost,
    roi_text,
    window_days,
)
from bemtevi.domain.messaging import MessagingRules
from bemtevi.errors import InvalidInput

IDS = [f"c{n:06d}" for n in range(20_000)]


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=20), st.integers(1, 50))
def test_the_control_group_takes_its_share_of_any_campaign(campaign, share):
    """20,000 customers: the control group is the share within 4 standard deviations
    (binomial), for any campaign id."""
    chosen = sum(in_control_group(campaign, customer, share) for customer in IDS)
    expected = len(IDS) * share / 100
    deviation = (expected * (1 - share / 100)) ** 0.5
    assert abs(chosen - expected) <= 4 * deviation


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=20), st.sampled_from(["welcome", "reminder", "expiry"]))
def test_the_holdout_takes_its_share_per_tenant_and_kind(tenant, kind):
    chosen = sum(in_holdout(tenant, kind, customer, 5) for customer in IDS)
    assert abs(chosen - 1_000) <= 4 * (1_000 * 0.95) ** 0.5


def test_the_draw_is_stable_and_independent_per_campaign():
    first = [c for c in IDS[:2_000] if in_control_group("k1", c, 10)]

    assert first == [c for c in IDS[:2_000] if in_control_group("k1", c, 10)]
    # pinned: the same in every process and Python version (blake2b, not hash())
    assert first[:5] == ["c000004", "c000011", "c000046", "c000069", "c000079"]
    other = {c for c in IDS[:2_000] if in_control_group("k2", c, 10)}
    assert len(other & set(first)) < len(first) / 4  # about 10 % overlap, not the same people
    assert not any(in_control_group("k1", c, 0) for c in IDS[:2_000])
    assert all(in_control_group("k1", c, 100) for c in IDS[:2_000])
    holdout = {c for c in IDS[:2_000] if in_holdout("k1", "welcome", c, 10)}
    assert len(holdout & set(first)) < len(first) / 4  # a holdout is not a campaign's group


def test_a_wider_share_keeps_everyone_the_narrower_one_had():
    narrow = {c for c in IDS if in_control_group("k1", c, 5)}
    wide = {c for c in IDS if in_control_group("k1", c, 10)}
    assert narrow < wide


def test_the_seeds_case_reproduces_to_the_centavo():
    """SMS that cost R$ 452,27 and R$ 3.696,33 of sales in 7 days: R$ 8,17 per R$ 1,00
    (369.633 / 45.227 = 8,1728...)."""
    figures = campaign_figures({"recipients": 6_461, "cost": 45_227, "r_revenue": 369_633})

    assert figures.roi == 817
    assert roi_text(figures.roi) == "R$\xa08,17 por R$\xa01,00"
    assert figures.incremental_revenue is None  # that campaign had no control group
    assert roi_text(figures.incremental_roi) == "—"


def test_lift_over_the_control_group_by_hand():
    """900 recipients bought R$ 4.500,00 in 30 sales by 25 buyers; 97 control members
    bought R$ 299,99 in 3 sales; 900 SMS at R$ 0,07.

    Per head: 450.000 / 900 = 500 centavos; 29.999 / 97 = 309,27 -> 309.
    Incremental: (500 - 29.999/97) x 900 = 16.650.900 / 97 = 171.658,76 -> 171.659
    (one rounding, at the end). ROI: 450.000 / 6.300 = R$ 71,43 per R$ 1,00;
    incremental ROI: 171.659 / 6.300 = R$ 27,25."""
    figures = campaign_figures(
        {
            "recipients": 900,
            "delivered": 880,
            "failed": 20,
            "cost": 6_300,
            "control": 97,
            "r_sales": 30,
            "r_buyers": 25,
            "r_revenue": 450_000,
            "c_sales": 3,
            "c_buyers": 3,
            "c_revenue": 29_999,
        }
    )

    assert (figures.delivered, figures.failed) == (880, 20)
    assert figures.recipient.revenue_per_head == 500
    assert figures.recipient.average_ticket == 15_000
    assert figures.control.revenue_per_head == 309
    assert figures.control.average_ticket == 10_000  # 9.999,67
    assert figures.incremental_revenue == 171_659
    assert roi_text(figures.roi) == "R$\xa071,43 por R$\xa01,00"
    assert figures.incremental_roi == 2_725


def test_divisions_round_half_to_even():
    """R$ 0,05 in 2 sales is 2,5 centavos -> 2; R$ 0,07 in 2 is 3,5 -> 4."""
    assert campaign_figures({"r_sales": 2, "r_revenue": 5}).recipient.average_ticket == 2
    assert campaign_figures({"r_sales": 2, "r_revenue": 7}).recipient.average_ticket == 4
    empty = campaign_figures({})
    assert (empty.roi, empty.recipient.average_ticket, empty.recipient.revenue_per_head) == (
        None,
        None,
        None,
    )


def test_a_negative_lift_is_reported_as_such():
    figures = campaign_figures(
        {"recipients": 10, "control": 10, "cost": 100, "r_revenue": 1_000, "c_revenue": 3_000}
    )
    assert figures.incremental_revenue == -2_000
    assert figures.incremental_roi == -2_000


RULES = MessagingRules(sms_segment_cost=7, whatsapp_cost=35, email_cost=2)


def test_an_sms_costs_its_segments_and_the_other_channels_their_price():
    assert message_cost(RULES, "sms", "a" * 160) == 7
    assert message_cost(RULES, "sms", "a" * 161) == 14  # two segments of 153
    assert message_cost(RULES, "sms", "ã" * 71) == 14  # UCS-2: 70, then 67 a segment
    assert message_cost(RULES, "whatsapp", "a" * 2_000) == 35
    assert message_cost(RULES, "email", "") == 2


def test_the_estimate_is_the_samples_mean_times_the_count():
    sample = ["a" * 150, "a" * 150, "a" * 170]  # 7 + 7 + 14 centavos: 28 / 3 each

    assert estimated_cost(RULES, "sms", sample, 1_000) == 9_333
    assert estimated_cost(RULES, "whatsapp", ["oi"], 6_461) == 226_135
    assert estimated_cost(RULES, "sms", [], 100) == 0
    assert estimated_cost(RULES, "sms", sample, 0) == 0


@pytest.mark.parametrize("value", [-1, 51, "10", True, None])
def test_a_control_share_outside_0_to_50_is_refused(value):
    with pytest.raises(InvalidInput) as refused:
        control_percent(value)
    assert refused.value.field == "control_percent"


@pytest.mark.parametrize("value", [0, 91, 7.0])
def test_an_attribution_window_outside_1_to_90_days_is_refused(value):
    with pytest.raises(InvalidInput) as refused:
        window_days(value)
    assert refused.value.field == "window_days"


def test_the_defaults_are_accepted():
    assert (control_percent(10), window_days(7)) == (10, 7)
