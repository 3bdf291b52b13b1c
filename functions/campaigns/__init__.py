"""Campaigns (issue 15): set up (setup), preview (preview), send (send, the job), and
figures (report). See docs/campaigns.md."""

from functions.campaigns.preview import Preview, preview
from functions.campaigns.report import (
    CampaignReport,
    CampaignSummary,
    campaign_list,
    campaign_report,
)
from functions.campaigns.send import RunResult, send_due
from functions.campaigns.setup import (
    cancel,
    create_campaign,
    pause,
    resume,
    save_segment,
    segments,
)

__all__ = [
    "CampaignReport",
    "CampaignSummary",
    "Preview",
    "RunResult",
    "campaign_list",
    "campaign_report",
    "cancel",
    "create_campaign",
    "pause",
    "preview",
    "resume",
    "save_segment",
    "segments",
    "send_due",
]
