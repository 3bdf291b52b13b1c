"""A campaign's figures from its day counters (one Query over the window): recipients
and control group, lift and ROI (bemtevi.domain.campaigns.campaign_figures), by day,
by store and by channel; and the list of campaigns with status and ROI."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bemtevi.domain.campaigns import CampaignFigures, Group, campaign_figures, group, roi_text
from bemtevi.store import campaigns
from bemtevi.store.campaigns import Campaign
from functions.campaigns.setup import Actor, campaign_of, stores_of, visible
from functions.common import tenancy


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    figures: CampaignFigures
    roi_text: str


@dataclass(frozen=True)
class CampaignReport:
    """`by_day`: (day, counts summed over the stores); `by_store`: (store, figures);
    `by_channel`: (channel, recipients' group on it, cost)."""

    campaign: Campaign
    figures: CampaignFigures
    roi_text: str
    by_day: list[tuple[str, dict[str, int]]]
    by_store: list[tuple[str, CampaignFigures]]
    by_channel: list[tuple[str, Group, int]]


def _window(campaign: Campaign, now: datetime) -> tuple[str, str]:
    zone = tenancy.tenant(campaign.tenant_id).zone
    first = (campaign.started_at or campaign.send_at).astimezone(zone).date()
    last = (campaign.finished_at or now).astimezone(zone).date()
    return first.isoformat(), (last + timedelta(days=campaign.window_days)).isoformat()


def _rows(campaign: Campaign, now: datetime) -> list:
    from bemtevi.store.attribution import counters

    first, last = _window(campaign, now)
    return counters(campaign.tenant_id, campaign.campaign_id, first, last)


def _summed(rows: list) -> Counter:
    total: Counter = Counter()
    for row in rows:
        total.update(row.counts)
    return total


def campaign_report(
    tenant_id: str, actor: Actor, campaign_id: str, now: datetime
) -> CampaignReport:
    campaign = campaign_of(tenant_id, actor, campaign_id)
    rows = _rows(campaign, now)
    total = _summed(rows)
    figures = campaign_figures(total)
    days: dict[str, Counter] = {}
    stores: dict[str, Counter] = {}
    for row in rows:
        days.setdefault(row.day, Counter()).update(row.counts)
        stores.setdefault(row.store_id, Counter()).update(row.counts)
    by_channel = [
        (channel, group(total, f"r_{channel}", total.get(f"{channel}_recipients", 0)),
         total.get(f"{channel}_cost", 0))
        for channel in campaign.channels
    ]  # fmt: skip
    return CampaignReport(
        campaign=campaign,
        figures=figures,
        roi_text=roi_text(figures.roi),
        by_day=[(day, dict(counts)) for day, counts in sorted(days.items())],
        by_store=[(store, campaign_figures(counts)) for store, counts in sorted(stores.items())],
        by_channel=by_channel,
    )


def campaign_list(
    tenant_id: str, actor: Actor, now: datetime | None = None
) -> list[CampaignSummary]:
    """The actor's campaigns, newest first, each with its figures (a Query each)."""
    moment = now or datetime.now().astimezone()
    stores = stores_of(actor)
    found = [c for c in campaigns.every(tenant_id) if visible(c, stores)]
    found.sort(key=lambda c: c.created_at, reverse=True)
    summaries = []
    for campaign in found:
        figures = campaign_figures(_summed(_rows(campaign, moment)))
        summaries.append(CampaignSummary(campaign, figures, roi_text(figures.roi)))
    return summaries
