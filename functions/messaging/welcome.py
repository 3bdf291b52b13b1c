"""The welcome message a sale queues: only what the sale path needs of messaging, so a
cold sale does not load the send machinery (channels, links, pacing: sending.py)."""

from __future__ import annotations

from datetime import datetime

from bemtevi.domain import messaging
from bemtevi.domain.customers import Customer
from bemtevi.domain.message_kinds import MessageKind
from bemtevi.store import messages
from functions.common import tenancy


def queue_welcome(
    tenant: tenancy.Tenant, customer: Customer, now: datetime, points_earned: int
) -> messaging.Message:
    """The welcome after a customer's first credit, written by the sale's own
    transaction (on condition that none exists) and sent by the outbox worker. It keeps
    the points that sale earned: by the time it goes, the balance may be more."""
    return messages.new_message(
        tenant.tenant_id,
        customer,
        MessageKind.WELCOME,
        messaging.policy_for(MessageKind.WELCOME).period(now, tenant.zone),
        now,
        tenant.today(now).isoformat(),
        points_earned,
    )
