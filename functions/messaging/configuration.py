"""`bemtevi messaging set|show`: a tenant's channels in order of preference, sending
hours, reminder day, job hour, expiry warning, costs, senders, SMS number and whether
SMS keep their accents."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

from bemtevi.domain.customers import normalized_phone
from bemtevi.domain.messaging import MessagingRules
from bemtevi.store import network
from functions.common import tenancy

UNSET = object()


def set_messaging(tenant_id: str, sms_number: object = UNSET, **changes: Any) -> dict:
    """Change only what is given; the rest stays as it was (or as the defaults)."""
    rules, number = network.messaging_rules(tenant_id)
    known = {field.name for field in fields(MessagingRules)}
    given = {name: value for name, value in changes.items() if name in known and value is not None}
    if "channels" in given:
        given["channels"] = tuple(given["channels"])
    rules = replace(rules, **given)
    if sms_number is not UNSET:
        number = normalized_phone(str(sms_number), "sms_number") if sms_number else None
    network.save_messaging_rules(tenant_id, rules, number, datetime.now(UTC))
    tenancy.forget_tenant(tenant_id)
    return messaging_view(rules, number)


def show_messaging(tenant_id: str) -> dict:
    network.get_tenant(tenant_id)
    return messaging_view(*network.messaging_rules(tenant_id))


def messaging_view(rules: MessagingRules, sms_number: str | None) -> dict:
    return {**rules.__dict__, "channels": list(rules.channels), "sms_number": sms_number}
