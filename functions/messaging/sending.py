"""One send path for every automatic message: hold it in quiet hours, pick the channel,
render it with the portal link, claim it (re-checking the opt-out), send it, and record
what happened. A provider failure is retried from the outbox with backoff, then marked
failed and sent to the dead-letter queue; a claim is never sent twice.

A job's message is written already claimed, and its record rides in the next claim
(functions.messaging.recording): two AWS calls, the claim and the send. Sends are paced
per channel (the tenant's `*_per_second`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bemtevi import aws, settings
from bemtevi.channels import Channel, ChannelError, Message
from bemtevi.channels.factory import channels_for
from bemtevi.domain import messaging
from bemtevi.domain.customers import Customer, masked_contact
from bemtevi.domain.message_kinds import ChannelName, MessageKind, MessageStatus
from bemtevi.domain.messaging import MessagingRules
from bemtevi.domain.templates import Context, Rendered, Template, render
from bemtevi.observability import logger
from bemtevi.security import links
from bemtevi.store import customers, messages, network, privacy
from bemtevi.store.messages import Claim, Outcome, Sent
from bemtevi.store.transactions import Contention
from functions.common import tenancy
from functions.common.retry import until_written
from functions.messaging.pacing import PROCESS_PACER, Pacer
from functions.messaging.recording import Records, hold, skip
from functions.messaging.tenant_templates import compiled_for, template_for


@dataclass
class Sender:
    """What a run needs to send a tenant's messages, read once per run."""

    tenant: tenancy.Tenant
    templates: list[Template]
    channels: dict[str, Channel]
    stores: dict[str, str]
    clock: Callable[[], datetime]
    outcomes: Counter = field(default_factory=Counter)
    pacer: Pacer = PROCESS_PACER
    workers: int = 1
    records: Records = field(default_factory=Records)

    def pace(self, channel: str) -> None:
        """Wait for the channel's slot: the tenant's pace over the job's `workers`."""
        self.pacer.wait(channel, self.rules.per_second(channel) / self.workers)

    @property
    def rules(self) -> MessagingRules:
        return self.tenant.messaging

    def day(self, moment: datetime) -> str:
        return self.tenant.today(moment).isoformat()


def sender_for(
    tenant_id: str,
    channels: dict[str, Channel] | None = None,
    clock: Callable[[], datetime] | None = None,
    pacer: Pacer | None = None,
    workers: int = 1,
) -> Sender:
    """`clock` is when sends happen (quiet hours, leases): the wall clock in AWS, the date
    a run is simulated for on the command line and in tests. `pacer` spaces the sends
    (the process's own, unless a test brings one with a fake clock); `workers`: how many
    processes run the job at once, sharing the tenant's pace."""
    tenant = tenancy.tenant(tenant_id)
    return Sender(
        tenant=tenant,
        templates=network.templates(tenant_id),
        channels=channels if channels is not None else channels_for(tenant.messaging),
        stores={store.store_id: store.name for store in network.list_stores(tenant_id)},
        clock=clock or (lambda: datetime.now(UTC)),
        pacer=pacer or PROCESS_PACER,
        workers=workers,
    )


def deliver(
    sender: Sender,
    message: messaging.Message,
    customer: Customer | None,
    now: datetime,
    new: bool = False,
) -> str:
    """Try to send one message now; returns what became of it. `new`: a message just
    planned and not yet written, written by its first write (on condition that this
    customer has none of its kind and period: else `already_planned`)."""
    outcome = _deliver(sender, message, customer, now, new)
    sender.outcomes[outcome] += 1
    return outcome


def _deliver(
    sender: Sender,
    message: messaging.Message,
    customer: Customer | None,
    now: datetime,
    new: bool = False,
) -> str:
    rules, zone = sender.rules, sender.tenant.zone
    if message.status == MessageStatus.SENDING:
        return _abandon(sender, message, now)
    if customer is None:
        return skip(message, "customer_gone", now, new)
    if not messaging.may_send_at(rules, now, zone):
        return hold(message, messaging.next_send_window(rules, now, zone), now, new)
    channel = _channel(sender, customer, now)
    if channel is None or channel not in sender.channels:
        return skip(message, "no_channel", now, new)
    points = customers.points_of(customer)
    policy = messaging.policy_for(message.message_kind)
    figures = policy.figures(
        points,
        sender.tenant.benefits,
        now,
        zone,
        rules.expiry_warning_days,
    )
    threshold = sender.tenant.redeem_threshold(now)
    if not policy.worth_sending(figures.points, points.available(now), threshold):
        return skip(message, "nothing_to_say", now, new)
    code = links.short_code(sender.tenant.pepper, messages.key_text(message))
    link = messages.new_link(
        code, message.tenant_id, message.customer_id, now + messaging.LINK_VALIDITY
    )
    context = _context(sender, message, customer, figures, policy.kind, code)
    template = template_for(sender.templates, message.message_kind, channel)
    rendered = render(compiled_for(sender.tenant.tenant_id, template), context, rules.sms_accents)
    lease = now + messaging.CLAIM_LEASE
    message.contact = masked_contact(channel, customer.phone, customer.email)
    claim = sender.records.claim(message, channel, link, now, lease, new)
    if claim is Claim.OPTED_OUT:
        # turned off since it was read: read again, and try the next channel left
        fresh = customers.find_by_id(message.tenant_id, message.customer_id)
        if fresh is None or channel not in fresh.opted_out():
            return skip(message, "opted_out", now, new)
        return _deliver(sender, message, fresh, now, new)
    if claim is Claim.LOST:
        return "already_planned" if new else "taken"
    return _send(sender, message, customer, channel, rendered, now)


def _channel(sender: Sender, customer: Customer, now: datetime) -> str | None:
    """The channel to use; an SMS opt-out its number got before the customer had it
    turns the customer's SMS off first."""
    opted_out = customer.opted_out()
    has = (bool(customer.phone), bool(customer.email))
    channel = messaging.channel_for(sender.rules, *has, opted_out)
    hashed = customer.phone_hash if channel == "sms" else None
    if hashed and privacy.is_suppressed(customer.tenant_id, hashed):
        save_opt_outs(customer.tenant_id, customer, {"sms": True}, now)
        channel = messaging.channel_for(sender.rules, *has, opted_out | {"sms"})
    return channel


def _context(
    sender: Sender,
    message: messaging.Message,
    customer: Customer,
    figures: messaging.Figures,
    kind: str,
    code: str,
) -> Context:
    """What the template may say: the customer's figures, the portal link, the store."""
    earned = message.points_earned
    return Context(
        nome=customer.name or "",
        saldo=figures.balance,
        valor=figures.value,
        data_expiracao=figures.expires_on,
        link=f"{settings.public_url()}/l/{code}",
        loja=sender.stores.get(customer.last_store or "", sender.tenant.name),
        rede=sender.tenant.name,
        # a welcome queued before the sale recorded its points told the balance
        pontos_ganhos=int(earned) if earned is not None else figures.balance,
        pontos_a_vencer=figures.points if kind == MessageKind.EXPIRY else 0,
    )


def _send(
    sender: Sender,
    message: messaging.Message,
    customer: Customer,
    channel: str,
    rendered: Rendered,
    now: datetime,
) -> str:
    """Hand the claimed message to its channel and record what happened."""
    to = customer.email if channel == ChannelName.EMAIL else customer.phone
    sender.pace(channel)
    try:
        receipt = sender.channels[channel].send(
            Message(
                to=to or "",
                text=rendered.text,
                subject=rendered.subject or None,
                html=rendered.html or None,
                template=rendered.template or None,
                template_parameters=rendered.parameters,
            )
        )
    except ChannelError as error:
        return _failed(sender, message, error, now)
    cost = messaging.cost_of(sender.rules, channel, receipt.segments)
    outcome = Outcome(receipt.provider_message_id, receipt.segments, cost)
    sent = Sent(message, outcome, now, sender.day(now))
    sender.records.sent(sent)
    return "sent"


def _failed(sender: Sender, message: messaging.Message, error: ChannelError, now: datetime) -> str:
    reason = error.code or type(error).__name__
    if error.retryable and not messaging.gives_up(int(message.attempts)):
        due_at = now + messaging.retry_delay(int(message.attempts))
        messages.record_retry(message, reason, due_at, now)
        return "retry"
    messages.record_failed(message, reason, now, sender.day(now))
    dead_letter(message, reason)
    return "failed"


def _abandon(sender: Sender, message: messaging.Message, now: datetime) -> str:
    """A claim whose run died between the claim and the record: the provider may have
    sent it, so it is not sent again (never twice) but marked and dead-lettered."""
    messages.record_failed(message, "interrupted", now, sender.day(now))
    dead_letter(message, "interrupted")
    return "failed"


def dead_letter(message: messaging.Message, reason: str) -> None:
    """What keeps failing goes to the DLQ for ops: keys and reason, no contact data."""
    body = {
        "tenant_id": message.tenant_id,
        "customer_id": message.customer_id,
        "kind": message.message_kind,
        "period": message.period,
        "channel": message.channel,
        "reason": reason,
    }
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=settings.queue_name("dlq"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
    logger.warning(
        "message failed for good", extra={"kind": message.message_kind, "reason": reason}
    )


def deliver_due(sender: Sender, may_continue=lambda: True, shards=None) -> bool:
    """Send what waits in the tenant's outbox and is due by the sender's clock: welcomes,
    messages held by quiet hours, retries, and claims of runs that died. Returns False
    when it stopped for lack of time (what is left stays due)."""
    tenant_id = sender.tenant.tenant_id
    for shard in shards if shards is not None else range(customers.INDEX_SHARDS):
        start = None
        while True:
            page, start = messages.due(tenant_id, shard, sender.clock(), start)
            for message in page:
                if not may_continue():
                    return False
                customer = customers.find_by_id(tenant_id, message.customer_id)
                deliver(sender, message, customer, sender.clock())
            if start is None:
                break
    return True


def save_opt_outs(
    tenant_id: str, customer: Customer, choices: dict[str, bool], now: datetime
) -> None:
    """Save the choices, reading the customer again if a sale changed it meanwhile."""
    current = [customer]

    def attempt() -> None:
        try:
            messages.set_opt_outs(current[0], choices, now)
        except Contention:
            current[0] = customers.find_by_id(tenant_id, customer.customer_id) or current[0]
            raise

    until_written(attempt)
