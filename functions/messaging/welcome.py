"""The welcome message a sale queues: only what the sale path needs of messaging, so a
cold sale does not load the send machinery (channels, links, pacing: sending.py)."""

from __future__ import annotations

from datetime import datetime

from bemtevi.domain import messaging
from bemtevi.domain.message_kinds import MessageKind
from bemtevi.store import messages
from bemtevi.store.models import CustomerRecord, MessageRecord
from functions.common import tenancy


def queue_welcome(
    tenant: tenancy.Tenant, customer: CustomerRecord, now: datetime, points_earned: int
) -> MessageRecord:
    """The welcome after a customer's first credit, written by the sale's own
    transaction (on condition that none exists) and sent by the outbox worker. It keeps
    the points that sale earned: by the time it goes, the balance may be more."""
    message = messages.new_message(
        tenant.tenant_id,
        customer,
        MessageKind.WELCOME,
        messaging.policy_for(MessageKind.WELCOME).period(now, tenant.zone),
        now,
        tenant.today(now).isoformat(),
    )
    message.points_earned = points_earned
    return message
