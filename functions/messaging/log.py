"""`bemtevi messages list`: the messages and SMS replies of a tenant's day, from the
`message_log` index (a Query per shard; no contact data shown)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bemtevi.domain.messaging import LoggedMessage, Reply
from bemtevi.store import messages
from functions.common import tenancy


def message_log(tenant_id: str, day: date | None = None, days: int = 1) -> list[dict]:
    """The day's (and the `days - 1` before it) messages and replies, oldest first."""
    tenant = tenancy.tenant(tenant_id)
    last = day or tenant.today(datetime.now(UTC))
    rows = []
    for back in range(days):
        for item in messages.logged_on(tenant_id, (last - timedelta(days=back)).isoformat()):
            if isinstance(item, LoggedMessage):
                rows.append(_message_row(item, tenant))
            elif isinstance(item, Reply):
                rows.append(_reply_row(item, tenant))
    return sorted(rows, key=lambda row: (row["at"], row["logged_at"]))


def _message_row(item: LoggedMessage, tenant: tenancy.Tenant) -> dict:
    return {
        "at": (item.sent_at or item.created_at).astimezone(tenant.zone).isoformat(),
        "kind": item.message_kind,
        "period": item.period,
        "channel": item.channel,
        "status": item.status,
        "customer_id": item.customer_id,
        "store_id": item.store_id,
        "attempts": item.attempts,
        "segments": item.segments,
        "cost": item.cost,
        "provider_message_id": item.provider_message_id,
        "error": item.error,
        "due_at": item.due_at,
        "logged_at": item.logged_at,
    }


def _reply_row(item: Reply, tenant: tenancy.Tenant) -> dict:
    return {
        "at": item.received_at.astimezone(tenant.zone).isoformat(),
        "kind": "reply",
        "channel": "sms",
        "status": "opted_out" if item.opted_out else "received",
        "customer_id": item.customer_id,
        "text": item.text,
        "logged_at": item.logged_at,
    }
