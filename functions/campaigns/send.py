"""The campaigns' send job: every campaign due by `now` walks the audience index shard
by shard from its checkpoint (store.jobs, job "campaign"), and for each customer in the
segment either marks them as a control member (never messaged) or claims and sends
their message through the outbox's claim (the opt-out re-checked there; the message's
key, kind "campaign" and period the campaign id, makes it once per customer, so a rerun
or a killed run sends nothing twice). Sends are paced per channel (the tenant's
`*_per_second`); a page re-reads the campaign, so a pause or a cancel stops it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bemtevi.channels import Channel, ChannelError
from bemtevi.channels import Message as Outgoing
from bemtevi.domain import messaging
from bemtevi.domain.attribution import Membership, Role
from bemtevi.domain.campaigns import in_control_group
from bemtevi.domain.customers import Customer, masked_contact
from bemtevi.domain.message_kinds import MessageStatus
from bemtevi.domain.segments import Segment, matches, segment_from
from bemtevi.domain.templates import Compiled
from bemtevi.store import campaigns, customers, jobs, messages
from bemtevi.store.campaigns import Campaign, Status
from bemtevi.store.messages import Claim, Outcome, Sent
from functions.campaigns import messages as texts
from functions.messaging.pacing import Pacer
from functions.messaging.recording import record
from functions.messaging.sending import Sender, sender_for

JOB = "campaign"
PAGE_SIZE = 100
Continue = Callable[[], bool]


@dataclass
class RunResult:
    """What a run did, per campaign (outcome -> customers); `finished` is False when it
    stopped for lack of time or outside the sending hours (the rest is left for later)."""

    tenant_id: str
    finished: bool = True
    campaigns: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"tenant": self.tenant_id, "finished": self.finished, "campaigns": self.campaigns}


@dataclass
class _Run:
    sender: Sender
    campaign: Campaign
    segment: Segment
    templates: dict[str, Compiled]
    as_of: datetime
    outcomes: Counter = field(default_factory=Counter)

    @property
    def tenant_id(self) -> str:
        return self.campaign.tenant_id


def send_due(
    tenant_id: str,
    now: datetime,
    may_continue: Continue = lambda: True,
    channels: dict[str, Channel] | None = None,
    clock: Callable[[], datetime] | None = None,
    pacer: Pacer | None = None,
    page_size: int = PAGE_SIZE,
) -> RunResult:
    """Send every campaign due by `now` (scheduled or sending); sends happen by `clock`
    (the wall clock in AWS, `now` itself when not given)."""
    sender = sender_for(tenant_id, channels, clock or (lambda: now), pacer)
    result = RunResult(tenant_id)
    for campaign in campaigns.every(tenant_id):
        if campaign.status not in (Status.SCHEDULED, Status.SENDING) or campaign.send_at > now:
            continue
        run = _Run(sender, campaign, segment_from(campaign.segment), texts.compiled(campaign), now)
        finished = _send(run, may_continue, page_size)
        result.campaigns[campaign.campaign_id] = dict(run.outcomes)
        result.finished = result.finished and finished
    return result


def _send(run: _Run, may_continue: Continue, page_size: int) -> bool:
    from bemtevi.store.audience import AUDIENCE_SHARDS

    campaign = run.campaign
    if campaign.status == Status.SCHEDULED:
        started = campaigns.change_status(campaign, Status.SENDING, run.as_of, started=True)
        if started is None:
            return True
        run.campaign = started
    parts = [f"a{shard}" for shard in range(AUDIENCE_SHARDS)]
    checkpoint = jobs.open_run(run.tenant_id, JOB, campaign.campaign_id, run.as_of, parts)
    run.as_of = checkpoint.as_of
    for shard in range(AUDIENCE_SHARDS):
        if not _walk_shard(run, checkpoint, shard, may_continue, page_size):
            return False
    if jobs.finish(checkpoint, run.as_of):
        campaigns.change_status(run.campaign, Status.DONE, run.sender.clock(), finished=True)
    return True


def _walk_shard(
    run: _Run, checkpoint: jobs.JobRun, shard: int, may_continue: Continue, page_size: int
) -> bool:
    """One shard from its checkpoint, a page at a time; False when it stopped (paused,
    cancelled, out of time or of the sending hours). A page stopped halfway is walked
    again: what it did is not done twice."""
    from bemtevi.store.audience import audience_page

    part = f"a{shard}"
    cursor = jobs.cursor_of(checkpoint, part)
    while cursor != jobs.DONE:
        current = campaigns.get(run.tenant_id, run.campaign.campaign_id)
        if current is None or current.status != Status.SENDING:
            run.outcomes["stopped"] += 1
            return False
        start = jobs.cursor_from(cursor or None)
        rows, next_start = audience_page(run.tenant_id, shard, start, page_size)
        for row in rows:
            if not (may_continue() and _in_hours(run)):
                return False
            run.outcomes[_visit(run, row.customer_id, row.entry)] += 1
        cursor = jobs.cursor_text(next_start) or jobs.DONE
        jobs.save_cursor(checkpoint, part, cursor)
    return True


def _in_hours(run: _Run) -> bool:
    sender = run.sender
    return messaging.may_send_at(sender.rules, sender.clock(), sender.tenant.zone)


def _visit(run: _Run, customer_id: str, entry) -> str:
    campaign = run.campaign
    if not matches(run.segment, entry, run.sender.tenant.today(run.as_of)):
        return "outside_segment"
    customer = customers.find_by_id(run.tenant_id, customer_id)
    if customer is None:
        return "customer_gone"
    if campaign.stores and not customer.stores_seen() & set(campaign.stores):
        return "out_of_scope"
    channel = texts.channel_for(campaign, customer, set(run.sender.channels))
    if channel is None:
        return "no_channel"
    if in_control_group(campaign.campaign_id, customer_id, campaign.control_percent):
        _join(run, customer, Role.CONTROL, "", run.sender.clock())
        return "control"
    return _recipient(run, customer, channel)


def _join(run: _Run, customer: Customer, role: Role, channel: str, now: datetime) -> None:
    """The member's marker (once: a rerun adds nothing) and the send counters."""
    from bemtevi.store import attribution

    campaign = run.campaign
    ends = now + timedelta(days=campaign.window_days)
    marker = Membership(campaign.campaign_id, role, now, ends, channel)
    if not attribution.join(run.tenant_id, customer.customer_id, marker):
        return
    counts = (
        {"control": 1} if role is Role.CONTROL else {"recipients": 1, f"{channel}_recipients": 1}
    )
    _count(run, customer, now, **counts)


def _count(run: _Run, customer: Customer, now: datetime, **increments: int) -> None:
    from bemtevi.store import attribution

    attribution.add_counters(
        run.tenant_id,
        run.campaign.campaign_id,
        run.sender.day(now),
        customer.last_store or "-",
        **increments,
    )


def _recipient(run: _Run, customer: Customer, channel: str) -> str:
    sender, now = run.sender, run.sender.clock()
    message = texts.new_message(sender, run.campaign, customer, now)
    code = texts.link_code(sender, message)
    link = messages.new_link(
        code, message.tenant_id, message.customer_id, now + messaging.LINK_VALIDITY
    )
    rendered = texts.rendered(sender, run.templates[channel], customer, code, now)
    message.contact = masked_contact(channel, customer.phone, customer.email)
    claim = messages.claim(message, channel, link, now, now + messaging.CLAIM_LEASE, new=True)
    if claim is Claim.OPTED_OUT:
        messages.plan_skipped(message, "opted_out", now)
        return "opted_out"
    if claim is Claim.LOST:
        return _claimed_before(run, customer, message)
    _join(run, customer, Role.RECIPIENT, channel, now)
    to = customer.email if channel == "email" else customer.phone
    sender.pace(channel)
    try:
        receipt = sender.channels[channel].send(
            Outgoing(
                to=to or "",
                text=rendered.text,
                subject=rendered.subject or None,
                html=rendered.html or None,
                template=rendered.template or None,
                template_parameters=rendered.parameters,
            )
        )
    except ChannelError as error:
        messages.record_failed(message, error.code or type(error).__name__, now, sender.day(now))
        _count(run, customer, now, failed=1)
        return "failed"
    cost = messaging.cost_of(sender.rules, channel, receipt.segments)
    record(
        Sent(
            message,
            Outcome(receipt.provider_message_id, receipt.segments, cost),
            now,
            sender.day(now),
        )
    )
    _count(run, customer, now, delivered=1, cost=cost, **{f"{channel}_cost": cost})
    return "sent"


def _claimed_before(run: _Run, customer: Customer, message: messaging.Message) -> str:
    """A run before this one claimed the message (and may have died before marking the
    member): the marker is made sure of, the message is never sent again."""
    found = messages.get_message(
        message.tenant_id, message.customer_id, message.message_kind, message.period
    )
    if found is not None and found.status != MessageStatus.SKIPPED and found.claimed_at:
        _join(run, customer, Role.RECIPIENT, found.channel or "", found.claimed_at)
    return "already_sent"


def send_all(now: datetime, may_continue: Continue = lambda: True) -> list[dict]:
    """The schedule's firing: every tenant's campaigns due by now (what a run leaves for
    lack of time, the next firing continues from the checkpoints)."""
    from bemtevi.store import network

    return [send_due(tenant_id, now, may_continue).as_dict() for tenant_id in network.tenant_ids()]
