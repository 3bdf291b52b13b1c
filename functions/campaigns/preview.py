"""Preview and dry run: who a campaign (or a form not saved yet) would reach, the
control group, the estimated cost and a few rendered messages. Nothing is written or
sent: the audience index's shards are read in parallel, and a few customers of each
channel are read to render samples."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bemtevi.domain.audience import AudienceEntry
from bemtevi.domain.campaigns import estimated_cost, in_control_group
from bemtevi.domain.segments import matches, segment_from
from bemtevi.store import customers
from bemtevi.store.campaigns import Campaign
from functions.campaigns import messages as texts
from functions.campaigns.setup import Actor, campaign_of, draft
from functions.messaging.sending import Sender, sender_for

SAMPLES_PER_CHANNEL = 3


@dataclass(frozen=True)
class Preview:
    """`count`: customers in the segment; `reachable`: those the campaign would message,
    per channel (the first of its channels they can get); `control`: reachable ones held
    back; `estimated_cost` in centavos; `samples`: (channel, rendered text)."""

    count: int
    reachable: dict[str, int]
    control: int
    estimated_cost: int
    samples: list[tuple[str, str]] = field(default_factory=list)


def preview(
    tenant_id: str, actor: Actor, form_or_campaign_id: dict | str, now: datetime
) -> Preview:
    if isinstance(form_or_campaign_id, str):
        campaign = campaign_of(tenant_id, actor, form_or_campaign_id)
    else:
        campaign = draft(tenant_id, actor, form_or_campaign_id, now)
    sender = sender_for(tenant_id)
    entries = _matching(campaign, sender, now)
    reach: Counter = Counter()
    control = 0
    picked: dict[str, list[str]] = {}
    for customer_id, entry in entries:
        channel = next((c for c in campaign.channels if c in entry.reach), None)
        if channel is None or channel not in sender.channels:
            continue
        if in_control_group(campaign.campaign_id, customer_id, campaign.control_percent):
            control += 1
            continue
        reach[channel] += 1
        if len(picked.setdefault(channel, [])) < SAMPLES_PER_CHANNEL:
            picked[channel].append(customer_id)
    samples = _samples(sender, campaign, picked, now)
    cost = sum(
        estimated_cost(sender.rules, channel, [t for c, t in samples if c == channel], n)
        for channel, n in reach.items()
    )
    return Preview(len(entries), dict(reach), control, cost, samples)


def _matching(campaign: Campaign, sender: Sender, now: datetime) -> list[tuple[str, Any]]:
    from bemtevi.store.audience import AUDIENCE_SHARDS

    segment = segment_from(campaign.segment)
    today = sender.tenant.today(now)

    def shard(number: int) -> list[tuple[str, AudienceEntry]]:
        return [
            (row.customer_id, row.entry)
            for row in _rows(campaign.tenant_id, number)
            if matches(segment, row.entry, today)
        ]

    with ThreadPoolExecutor(max_workers=AUDIENCE_SHARDS) as pool:
        return [found for part in pool.map(shard, range(AUDIENCE_SHARDS)) for found in part]


def _rows(tenant_id: str, shard: int) -> list:
    from bemtevi.store.audience import audience_page

    rows, start = audience_page(tenant_id, shard, None)
    while start is not None:
        more, start = audience_page(tenant_id, shard, start)
        rows += more
    return rows


def _samples(
    sender: Sender, campaign: Campaign, picked: dict[str, list[str]], now: datetime
) -> list[tuple[str, str]]:
    templates = texts.compiled(campaign)
    samples = []
    for channel, ids in picked.items():
        for customer_id in ids:
            customer = customers.find_by_id(campaign.tenant_id, customer_id)
            if customer is None:
                continue
            message = texts.new_message(sender, campaign, customer, now)
            code = texts.link_code(sender, message)
            rendered = texts.rendered(sender, templates[channel], customer, code, now)
            samples.append((channel, rendered.text or rendered.template))
    return samples
