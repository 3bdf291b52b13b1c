"""/painel/textos, the sending form (network admins): channels in order of preference,
sending hours, job hour, reminder day, expiry warning days and SMS accents, set through
the function `bemtevi messaging set` calls, so a value is refused with its message."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bemtevi.domain.staff import Manager
from bemtevi.domain.templates import CHANNELS
from functions.dashboard.forms import submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import redirect
from functions.dashboard.texts import HREF, texts_page
from functions.messaging.configuration import set_messaging
from functions.portal.pages import Page

HOURS_AND_DAYS = (
    "send_from_hour",
    "send_until_hour",
    "job_hour",
    "reminder_day",
    "expiry_warning_days",
)
NOT_A_NUMBER = -1
"""What a field that is not a whole number becomes: below every range the settings
accept, so the settings refuse it with the message they give for that field."""


def set_sending(manager: Manager, visit: Visit) -> Page:
    form = visit.form
    return submitted(
        manager,
        visit,
        lambda: set_messaging(
            manager.tenant_id,
            channels=channels_from(form),
            sms_accents=bool(form.get("sms_accents")),
            **{name: _whole(form.get(name, "")) for name in HOURS_AND_DAYS},
        ),
        "Envio das mensagens alterado",
        lambda status, errors: texts_page(manager, visit, status, errors, _posted(form)),
        lambda _: redirect(f"{HREF}?aviso=envio"),
    )


def channels_from(form: Mapping[str, str]) -> list[str]:
    """The channels given a preference (1, 2, 3), in that order; a channel left empty is
    off (none at all: the settings refuse it)."""
    ranked = [
        (int(rank), CHANNELS.index(channel), channel)
        for channel in CHANNELS
        if (rank := form.get(f"canal.{channel}", "").strip()).isdigit()
    ]
    return [channel for _, _, channel in sorted(ranked)]


def _whole(text: str) -> int:
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,3}", text) else NOT_A_NUMBER


def _posted(form: Mapping[str, str]) -> dict[str, str]:
    names = (*(f"canal.{channel}" for channel in CHANNELS), *HOURS_AND_DAYS, "sms_accents")
    return {name: form.get(name, "") for name in names}
