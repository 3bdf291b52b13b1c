"""Repository of campaigns and saved segments (the network table, under the tenant's
partition). A campaign's send run keeps its checkpoint as a job run (store.jobs, job
"campaign", run = the campaign id); its members carry markers (store.attribution)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from bemtevi.store.models import CampaignRecord, NetworkTable, SavedSegmentRecord


class Status(StrEnum):
    """scheduled -> sending -> done; paused (and back) while not done; cancelled for
    good."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"


@dataclass(frozen=True)
class Campaign:
    """`texts`: the message per channel (Jinja, the customer's variables); `stores`: the
    store manager's stores it is limited to (empty: the whole network)."""

    tenant_id: str
    campaign_id: str
    name: str
    segment: dict[str, Any]
    channels: tuple[str, ...]
    texts: dict[str, str]
    send_at: datetime
    control_percent: int
    window_days: int
    status: str
    created_at: datetime
    updated_at: datetime
    stores: tuple[str, ...] = ()
    created_by: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class SavedSegment:
    segment_id: str
    name: str
    segment: dict[str, Any]
    created_at: datetime
    stores: tuple[str, ...] = field(default_factory=tuple)


def _record(campaign: Campaign) -> CampaignRecord:
    return CampaignRecord(
        *CampaignRecord.keys(campaign.tenant_id, campaign.campaign_id),
        tenant_id=campaign.tenant_id,
        campaign_id=campaign.campaign_id,
        name=campaign.name,
        segment=json.dumps(campaign.segment, sort_keys=True),
        channels=list(campaign.channels),
        texts=dict(campaign.texts),
        send_at=campaign.send_at,
        control_percent=campaign.control_percent,
        window_days=campaign.window_days,
        status=campaign.status,
        stores=list(campaign.stores),
        created_by=campaign.created_by,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        started_at=campaign.started_at,
        finished_at=campaign.finished_at,
    )


def _campaign(record: CampaignRecord) -> Campaign:
    return Campaign(
        tenant_id=record.tenant_id,
        campaign_id=record.campaign_id,
        name=record.name,
        segment=json.loads(record.segment),
        channels=tuple(record.channels),
        texts=dict(record.texts.as_dict()),
        send_at=record.send_at,
        control_percent=int(record.control_percent),
        window_days=int(record.window_days),
        status=record.status,
        stores=tuple(record.stores or ()),
        created_by=record.created_by or "",
        created_at=record.created_at,
        updated_at=record.updated_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


def add(campaign: Campaign) -> bool:
    """Write a new campaign (False if its id is taken)."""
    try:
        _record(campaign).save(condition=NetworkTable.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def get(tenant_id: str, campaign_id: str) -> Campaign | None:
    try:
        record = CampaignRecord.get(
            *CampaignRecord.keys(tenant_id, campaign_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return _campaign(record)


def every(tenant_id: str) -> list[Campaign]:
    """A tenant's campaigns, newest id last (one Query)."""
    pk, _ = CampaignRecord.keys(tenant_id, "")
    found = CampaignRecord.query(pk, CampaignRecord.sk.startswith("CAMPAIGN#"))
    return [_campaign(record) for record in found if isinstance(record, CampaignRecord)]


def change_status(
    campaign: Campaign, status: str, now: datetime, started: bool = False, finished: bool = False
) -> Campaign | None:
    """Move the campaign to `status` on condition that it is still in the status read
    (None when it changed meanwhile)."""
    changed = replace(
        campaign,
        status=status,
        updated_at=now,
        started_at=now if started else campaign.started_at,
        finished_at=now if finished else campaign.finished_at,
    )
    actions: list[Any] = [CampaignRecord.status.set(status), CampaignRecord.updated_at.set(now)]
    if started:
        actions.append(CampaignRecord.started_at.set(now))
    if finished:
        actions.append(CampaignRecord.finished_at.set(now))
    item = CampaignRecord(*CampaignRecord.keys(campaign.tenant_id, campaign.campaign_id))
    try:
        item.update(actions=actions, condition=CampaignRecord.status == campaign.status)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return changed


def save_segment(tenant_id: str, saved: SavedSegment) -> None:
    """Keep a segment under its id (the same id replaces it)."""
    SavedSegmentRecord(
        *SavedSegmentRecord.keys(tenant_id, saved.segment_id),
        tenant_id=tenant_id,
        name=saved.name,
        segment=json.dumps(saved.segment, sort_keys=True),
        stores=list(saved.stores),
        created_at=saved.created_at,
    ).save()


def saved_segments(tenant_id: str) -> list[SavedSegment]:
    pk, _ = SavedSegmentRecord.keys(tenant_id, "")
    found = SavedSegmentRecord.query(pk, SavedSegmentRecord.sk.startswith("SEGMENT#"))
    return [
        SavedSegment(
            segment_id=record.sk.removeprefix("SEGMENT#"),
            name=record.name,
            segment=json.loads(record.segment),
            created_at=record.created_at,
            stores=tuple(record.stores or ()),
        )
        for record in found
        if isinstance(record, SavedSegmentRecord)
    ]
