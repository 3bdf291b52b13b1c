"""A campaign's message to one customer: the channel (the campaign's order, reachable
and configured), the text rendered with the customer's figures and portal link."""

from __future__ import annotations

from datetime import datetime

from bemtevi import settings
from bemtevi.domain import messaging
from bemtevi.domain.customers import Customer
from bemtevi.domain.message_kinds import MessageKind
from bemtevi.domain.templates import (
    CAMPAIGN,
    Compiled,
    Context,
    Rendered,
    campaign_template,
    compile_template,
    render,
)
from bemtevi.security import links
from bemtevi.store import customers, messages
from bemtevi.store.campaigns import Campaign
from functions.messaging.sending import Sender


def compiled(campaign: Campaign) -> dict[str, Compiled]:
    return {
        channel: compile_template(campaign_template(channel, text, campaign.name))
        for channel, text in campaign.texts.items()
    }


def channel_for(campaign: Campaign, customer: Customer, configured: set[str]) -> str | None:
    """The first of the campaign's channels the customer has a contact on, did not turn
    off, and the tenant sends on."""
    out = customer.opted_out()
    for channel in campaign.channels:
        contact = customer.email if channel == "email" else customer.phone
        if contact and channel not in out and channel in configured:
            return channel
    return None


def new_message(sender: Sender, campaign: Campaign, customer: Customer, now: datetime):
    return messages.new_message(
        campaign.tenant_id, customer, CAMPAIGN, campaign.campaign_id, now, sender.day(now)
    )


def rendered(
    sender: Sender, template: Compiled, customer: Customer, code: str, now: datetime
) -> Rendered:
    """The text as this customer reads it (balance, value, first expiry, portal link)."""
    tenant, rules = sender.tenant, sender.rules
    figures = messaging.policy_for(MessageKind.REMINDER).figures(
        customers.points_of(customer), tenant.benefits, now, tenant.zone, rules.expiry_warning_days
    )
    context = Context(
        nome=customer.name or "",
        saldo=figures.balance,
        valor=figures.value,
        data_expiracao=figures.expires_on,
        link=f"{settings.public_url()}/l/{code}",
        loja=sender.stores.get(customer.last_store or "", tenant.name),
        rede=tenant.name,
    )
    return render(template, context, rules.sms_accents)


def link_code(sender: Sender, message: messaging.Message) -> str:
    return links.short_code(sender.tenant.pepper, messages.key_text(message))
