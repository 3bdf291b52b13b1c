"""Campaigns set up by a manager (or ops, `actor` None): the form checked, the store
manager's scope, status changes (pause, resume, cancel) and saved segments."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bemtevi.domain import campaigns as rules
from bemtevi.domain.messaging import may_send_at
from bemtevi.domain.segments import (
    Segment,
    restricted_to,
    segment_dict,
    segment_from,
    segment_name,
)
from bemtevi.domain.staff import Manager, Role
from bemtevi.domain.templates import CHANNELS, campaign_template
from bemtevi.errors import BemteviError, Conflict, InvalidInput, NotFound
from bemtevi.store import campaigns
from bemtevi.store.campaigns import Campaign, SavedSegment, Status
from functions.common import tenancy

Actor = Manager | None
MAX_NAME = 80


class OutOfScope(BemteviError):
    status = 403


def stores_of(actor: Actor) -> tuple[str, ...]:
    """The stores an actor's campaigns are limited to (empty: the whole network)."""
    if actor is None or actor.sees_network:
        return ()
    if actor.role is not Role.STORE:
        raise OutOfScope("out_of_scope", "Campanhas são da gerência.", None)
    return tuple(sorted(actor.stores))


def scoped_segment(data: Any, stores: tuple[str, ...]) -> Segment:
    segment = segment_from(data)
    return restricted_to(segment, frozenset(stores)) if stores else segment


def visible(campaign: Campaign, stores: tuple[str, ...]) -> bool:
    return not stores or (bool(campaign.stores) and set(campaign.stores) <= set(stores))


def campaign_of(tenant_id: str, actor: Actor, campaign_id: str) -> Campaign:
    found = campaigns.get(tenant_id, campaign_id)
    if found is None or not visible(found, stores_of(actor)):
        raise NotFound("campaign_not_found", "Campanha não encontrada.", "campaign_id")
    return found


def _whole(form: dict, name: str, default: int) -> object:
    value = form.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _name(value: Any) -> str:
    name = " ".join(value.split()) if isinstance(value, str) else ""
    if not 0 < len(name) <= MAX_NAME:
        raise InvalidInput(
            "invalid_name", f"Dê à campanha um nome de até {MAX_NAME} letras.", "name"
        )
    return name


def _channels(value: Any) -> tuple[str, ...]:
    chosen = tuple(value) if isinstance(value, list | tuple) else ()
    if not chosen or len(set(chosen)) != len(chosen) or any(c not in CHANNELS for c in chosen):
        raise InvalidInput(
            "invalid_channels", f"Canais, em ordem: {', '.join(CHANNELS)}.", "channels"
        )
    return chosen


def _send_at(tenant: tenancy.Tenant, value: Any, now: datetime) -> datetime:
    """Now (None) or a date and time (tenant-local when it has no offset), not in the
    past, inside the sending hours."""
    if value in (None, ""):
        return now
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(str(tenant.zone)))
    if moment is None or moment < now:
        raise InvalidInput(
            "invalid_send_at", "Data e hora do envio: agora ou no futuro.", "send_at"
        )
    if not may_send_at(tenant.messaging, moment, tenant.zone):
        raise InvalidInput(
            "outside_sending_hours", "Agende dentro do horário de envio da rede.", "send_at"
        )
    return moment


def _segment(tenant_id: str, form: dict, stores: tuple[str, ...]) -> dict[str, Any]:
    if form.get("segment_id"):
        saved = {s.segment_id: s for s in segments(tenant_id, None)}.get(str(form["segment_id"]))
        if saved is None:
            raise InvalidInput("segment_not_found", "Segmento não encontrado.", "segment_id")
        return segment_dict(scoped_segment(saved.segment, stores))
    return segment_dict(scoped_segment(form.get("segment") or {}, stores))


def create_campaign(tenant_id: str, actor: Actor, form: dict, now: datetime) -> Campaign:
    """A campaign scheduled from a form (name, segment or segment_id, channels, messages
    per channel, send_at, control_percent, window_days); InvalidInput names the field."""
    campaign = draft(tenant_id, actor, form, now)
    if not campaigns.add(campaign):
        raise Conflict("campaign_exists", "Tente de novo.", None)
    return campaign


def draft(tenant_id: str, actor: Actor, form: dict, now: datetime) -> Campaign:
    """The campaign a form describes, checked, not saved (a preview's)."""
    tenant = tenancy.tenant(tenant_id)
    stores = stores_of(actor)
    name = _name(form.get("name"))
    segment = _segment(tenant_id, form, stores)
    channels = _channels(form.get("channels"))
    given = form.get("messages")
    texts: dict[str, str] = given if isinstance(given, dict) else {}
    for channel in channels:
        campaign_template(channel, texts.get(channel, ""), name)
    return Campaign(
        tenant_id=tenant_id,
        campaign_id="c" + secrets.token_hex(4),
        name=name,
        segment=segment,
        channels=channels,
        texts={channel: texts[channel] for channel in channels},
        send_at=_send_at(tenant, form.get("send_at"), now),
        control_percent=rules.control_percent(_whole(form, "control_percent", 10)),
        window_days=rules.window_days(_whole(form, "window_days", 7)),
        status=Status.SCHEDULED,
        created_at=now,
        updated_at=now,
        stores=stores,
        created_by=actor.subject if actor else "",
    )


_MOVES = {
    "pause": ((Status.SCHEDULED, Status.SENDING), Status.PAUSED),
    "cancel": ((Status.SCHEDULED, Status.SENDING, Status.PAUSED), Status.CANCELLED),
}


def _move(tenant_id: str, actor: Actor, campaign_id: str, now: datetime, move: str) -> Campaign:
    campaign = campaign_of(tenant_id, actor, campaign_id)
    if move == "resume":
        allowed: tuple[str, ...] = (Status.PAUSED,)
        target = Status.SENDING if campaign.started_at else Status.SCHEDULED
    else:
        allowed, target = _MOVES[move]
    if campaign.status not in allowed:
        raise Conflict("invalid_status", "A campanha não está num estado que permita isso.", None)
    changed = campaigns.change_status(campaign, target, now)
    if changed is None:
        raise Conflict("status_changed", "A campanha mudou; tente de novo.", None)
    return changed


def pause(tenant_id: str, actor: Actor, campaign_id: str, now: datetime) -> Campaign:
    return _move(tenant_id, actor, campaign_id, now, "pause")


def resume(tenant_id: str, actor: Actor, campaign_id: str, now: datetime) -> Campaign:
    return _move(tenant_id, actor, campaign_id, now, "resume")


def cancel(tenant_id: str, actor: Actor, campaign_id: str, now: datetime) -> Campaign:
    return _move(tenant_id, actor, campaign_id, now, "cancel")


def segment_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "segmento"


def save_segment(
    tenant_id: str, actor: Actor, name: str, segment: dict, now: datetime
) -> SavedSegment:
    stores = stores_of(actor)
    checked = segment_name(name)
    saved = SavedSegment(
        segment_id=segment_key(checked),
        name=checked,
        segment=segment_dict(scoped_segment(segment, stores)),
        created_at=now,
        stores=stores,
    )
    campaigns.save_segment(tenant_id, saved)
    return saved


def segments(tenant_id: str, actor: Actor) -> list[SavedSegment]:
    stores = stores_of(actor)
    return [
        saved
        for saved in campaigns.saved_segments(tenant_id)
        if not stores or (saved.stores and set(saved.stores) <= set(stores))
    ]
