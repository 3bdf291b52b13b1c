"""The new-campaign form of /painel/campanhas/nova as the dict `functions.campaigns`
takes (`create_campaign`, `preview`): the segment builder's fields (named
`segment.<filter>[.min|.max]`, the domain's own field names behind the prefix, so a
refusal's field finds its input), the channels in order of preference, a message per
channel, the schedule, the control share and the attribution window.

Nothing is checked here beyond turning text into numbers: a field that is not a whole
number becomes -1, below every range the domain accepts, so the domain refuses it with
its own message for that field; reais go through `centavos_from_text`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bemtevi.domain.money import centavos_from_text
from bemtevi.domain.templates import CHANNELS
from bemtevi.errors import InvalidInput

SEGMENT = "segment."
NOT_A_NUMBER = -1
COUNTS = ("days_since_purchase", "purchases", "balance", "available", "expiring")
MONEY = ("spent", "average_ticket")
WINDOWS = {"window_days": ("purchases", "spent"), "bought_days": ("categories", "brands")}
WINDOWS_OF_POINTS = {"expiring_days": ("expiring",)}
STORE_SETS = ("last_store_in", "stores_any")
NAME_SETS = ("categories", "brands")
DEFAULT_CONTROL_PERCENT = "10"
DEFAULT_WINDOW_DAYS = "7"


def whole(text: str) -> int:
    """A whole number typed in a field, or -1 (refused by the domain with its message)."""
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,12}", text) else NOT_A_NUMBER


def segment_of(form: Mapping[str, str]) -> dict[str, Any]:
    """The segment dict (`segment_from`'s input) the builder's fields describe; empty
    fields are filters not set."""
    out: dict[str, Any] = {}
    for name in COUNTS + MONEY:
        ends = {}
        for end in ("min", "max"):
            text = form.get(f"{SEGMENT}{name}.{end}", "").strip()
            if text:
                ends[end] = _money(text, f"{name}.{end}") if name in MONEY else whole(text)
        if ends:
            out[name] = ends
    for window, uses in {**WINDOWS, **WINDOWS_OF_POINTS}.items():
        text = form.get(SEGMENT + window, "").strip()
        if text and (any(use in out for use in uses) or _names(form, uses)):
            out[window] = whole(text)
    out.update(_sets(form))
    out.update(_others(form))
    return out


def _money(text: str, field: str) -> int:
    return centavos_from_text(text, SEGMENT + field)


def _names(form: Mapping[str, str], uses: tuple[str, ...]) -> bool:
    return any(form.get(SEGMENT + use, "").strip() for use in uses if use in NAME_SETS)


def _sets(form: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in STORE_SETS:
        prefix = f"{SEGMENT}{name}."
        chosen = sorted(key.removeprefix(prefix) for key in form if key.startswith(prefix))
        if chosen:
            out[name] = chosen
    for name in NAME_SETS:
        names = [part.strip() for part in form.get(SEGMENT + name, "").split(",")]
        if any(names):
            out[name] = [part for part in names if part]
    return out


def _others(form: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    month = form.get(SEGMENT + "birthday.month", "").strip()
    start = form.get(SEGMENT + "birthday.from", "").strip()
    end = form.get(SEGMENT + "birthday.to", "").strip()
    if month:
        out["birthday"] = {"month": whole(month)}
    elif start or end:
        out["birthday"] = {"from": start, "to": end}
    for name in ("new_since", "channel"):
        text = form.get(SEGMENT + name, "").strip()
        if text:
            out[name] = text
    return out


def channels_of(form: Mapping[str, str]) -> list[str]:
    """The channels given a rank (1, 2, 3), in that order; an empty rank is not used."""
    ranked = [
        (int(rank), CHANNELS.index(channel), channel)
        for channel in CHANNELS
        if (rank := form.get(f"canal.{channel}", "").strip()).isdigit()
    ]
    return [channel for _, _, channel in sorted(ranked)]


def send_at_of(form: Mapping[str, str], zone: ZoneInfo) -> str | None:
    """None to send now; else the typed local date and time (`datetime-local`) in the
    tenant's zone, as ISO with its offset."""
    if form.get("quando", "agora") != "depois":
        return None
    text = form.get("send_at", "").strip()
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        message = "Informe a data e a hora do envio."
        raise InvalidInput("invalid_send_at", message, "send_at") from None
    return local.replace(tzinfo=zone).isoformat()


def campaign_of(form: Mapping[str, str], zone: ZoneInfo) -> dict[str, Any]:
    """The whole form as `create_campaign` and `preview` take it (a saved segment's id
    replaces the builder's filters)."""
    channels = channels_of(form)
    chosen: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "channels": channels,
        "messages": {channel: form.get(f"mensagem.{channel}", "") for channel in channels},
        "send_at": send_at_of(form, zone),
        "control_percent": whole(form.get("control_percent", DEFAULT_CONTROL_PERCENT)),
        "window_days": whole(form.get("window_days", DEFAULT_WINDOW_DAYS)),
    }
    saved = form.get("segment_id", "").strip()
    if saved:
        chosen["segment_id"] = saved
    else:
        chosen["segment"] = segment_of(form)
    return chosen


def field_of(error_field: str | None) -> str:
    """The form input a refusal belongs to: a segment filter's field (`spent.min`, from
    `segment_from`) gets the builder's prefix; the campaign's own fields stay."""
    field = error_field or ""
    if field.startswith(SEGMENT) or field in CAMPAIGN_FIELDS:
        return field
    return SEGMENT + field if field else ""


CAMPAIGN_FIELDS = frozenset(
    {"name", "channels", "send_at", "control_percent", "window_days", "segment_id", "segment"}
    | {f"messages.{channel}" for channel in CHANNELS}
)
