"""Campaign rules that need no storage: who falls in the control group (and in the
automatic messages' permanent holdout), what a send is estimated to cost, and the
figures a campaign reports from its summed day counters.

Money is integer centavos; every division is rounded once, half-even (banker's
rounding: no bias up or down over many campaigns), with exact fractions before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from bemtevi.domain.message_kinds import ChannelName
from bemtevi.domain.messaging import MessagingRules, cost_of
from bemtevi.domain.money import CENTAVOS, brl
from bemtevi.domain.sms import sms_size
from bemtevi.errors import InvalidInput

DEFAULT_CONTROL_PERCENT = 10
MAX_CONTROL_PERCENT = 50
DEFAULT_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 90
DEFAULT_HOLDOUT_PERCENT = 0
_BUCKETS = 10_000  # shares are drawn in hundredths of a percent


def _draw(*parts: str) -> int:
    """A number in [0, 10000) that depends only on `parts` (blake2b, unlike hash(),
    the same in every process and every Python)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _BUCKETS


def in_control_group(campaign_id: str, customer_id: str, share_percent: int) -> bool:
    """Whether the customer is in the campaign's control group (never messaged, measured
    like the recipients): about `share_percent` % of the customers, the same ones on
    every run of the campaign."""
    return _draw("control", campaign_id, customer_id) < share_percent * 100


def in_holdout(tenant_id: str, kind: str, customer_id: str, share_percent: int) -> bool:
    """Whether the customer is in the tenant's permanent holdout of an automatic message
    kind (welcome, reminder, expiry): never sent that kind, measured the same way."""
    return _draw("holdout", tenant_id, kind, customer_id) < share_percent * 100


def control_percent(value: object, field: str = "control_percent") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        value = -1
    if not 0 <= value <= MAX_CONTROL_PERCENT:
        raise InvalidInput(
            "invalid_control_share",
            f"Grupo de controle: de 0 a {MAX_CONTROL_PERCENT} % dos clientes.",
            field,
        )
    return value


def window_days(value: object, field: str = "window_days") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        value = 0
    if not 1 <= value <= MAX_WINDOW_DAYS:
        raise InvalidInput(
            "invalid_window",
            f"Janela de atribuição: de 1 a {MAX_WINDOW_DAYS} dias.",
            field,
        )
    return value


def message_cost(rules: MessagingRules, channel: str, rendered_text: str) -> int:
    """What one message costs: an SMS by the segments of its rendered text (as it goes,
    after `sms_text`), WhatsApp and e-mail at the tenant's price per message."""
    segments = sms_size(rendered_text).segments if channel == ChannelName.SMS else 0
    return cost_of(rules, channel, segments)


def estimated_cost(rules: MessagingRules, channel: str, sample: Sequence[str], count: int) -> int:
    """The cost of `count` messages on `channel`, at the mean cost of a sample of
    rendered texts (names and balances change an SMS's length)."""
    if count <= 0 or not sample:
        return 0
    total = sum(message_cost(rules, channel, text) for text in sample)
    return round(Fraction(total * count, len(sample)))


@dataclass(frozen=True)
class Group:
    """Recipients or control members: how many, who bought, what they bought.
    `average_ticket` = revenue / sales; `revenue_per_head` = revenue / members."""

    members: int
    buyers: int
    sales: int
    revenue: int
    average_ticket: int | None
    revenue_per_head: int | None


@dataclass(frozen=True)
class CampaignFigures:
    """`roi` and `incremental_roi` are centavos of revenue per R$ 1,00 of cost (None
    without cost); `incremental_revenue` is None without a control group."""

    recipients: int
    delivered: int
    failed: int
    cost: int
    recipient: Group
    control: Group
    incremental_revenue: int | None
    roi: int | None
    incremental_roi: int | None


def _ratio(numerator: int | Fraction, denominator: int) -> int | None:
    return round(Fraction(numerator) / denominator) if denominator else None


def group(counts: Mapping[str, int], prefix: str, members: int) -> Group:
    """A group's figures from counters named `<prefix>_sales`, `<prefix>_revenue`,
    `<prefix>_buyers` (attribution's names: "r", "c", or "r_sms" for one channel)."""
    sales, revenue = counts.get(f"{prefix}_sales", 0), counts.get(f"{prefix}_revenue", 0)
    return Group(
        members=members,
        buyers=counts.get(f"{prefix}_buyers", 0),
        sales=sales,
        revenue=revenue,
        average_ticket=_ratio(revenue, sales),
        revenue_per_head=_ratio(revenue, members),
    )


def campaign_figures(counts: Mapping[str, int]) -> CampaignFigures:
    """From a campaign's counters summed over the days (and stores) asked for: sends
    ("recipients", "control", "delivered", "failed", "cost") and attributed sales
    (bemtevi.domain.attribution's names).

    Incremental revenue = (recipients' revenue per head - control's revenue per head)
    x recipients: what the recipients bought beyond what they would have bought anyway."""
    recipients, control_members = counts.get("recipients", 0), counts.get("control", 0)
    cost = counts.get("cost", 0)
    recipient = group(counts, "r", recipients)
    control = group(counts, "c", control_members)
    incremental: int | None = None
    if recipients and control_members:
        lift = Fraction(recipient.revenue, recipients) - Fraction(control.revenue, control_members)
        incremental = round(lift * recipients)
    return CampaignFigures(
        recipients=recipients,
        delivered=counts.get("delivered", 0),
        failed=counts.get("failed", 0),
        cost=cost,
        recipient=recipient,
        control=control,
        incremental_revenue=incremental,
        roi=_ratio(recipient.revenue * CENTAVOS, cost),
        incremental_roi=None if incremental is None else _ratio(incremental * CENTAVOS, cost),
    )


def roi_text(roi: int | None) -> str:
    """ "R$ 8,17 por R$ 1,00": what each real spent brought back."""
    return "—" if roi is None else f"{brl(roi)} por {brl(CENTAVOS)}"
