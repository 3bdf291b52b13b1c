"""The scheduled message jobs, run per tenant and per index shard:

- welcome: send what waits in the outbox (welcomes queued by sales, messages held by the
  quiet hours, retries);
- reminder: monthly, to every customer who can redeem now (the `redeemable` index);
- expiry: daily, expire the lots that are due (with ledger entries and counters), then
  warn the customers whose points expire within the warning period, once per date (the
  `expiry` index, read only for the band of dates not looked at before).

A run keeps a checkpoint per shard, so it can stop (Lambda's time limit) and continue,
or be run again, without sending anything twice or skipping anyone. In AWS one SQS
message per shard fans the run out; a shard that runs out of time queues its own
continuation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from bemtevi import aws, settings
from bemtevi.channels import Channel
from bemtevi.domain import messaging
from bemtevi.domain.customers import Customer
from bemtevi.domain.message_kinds import MessageKind
from bemtevi.store import customers, jobs, messages, network
from functions.common import tenancy
from functions.messaging.expiry import expire
from functions.messaging.pacing import Pacer
from functions.messaging.sending import Sender, deliver, deliver_due, sender_for

JOBS = tuple(MessageKind)
PAGE_SIZE = 100
Continue = Callable[[], bool]


def always() -> bool:
    return True


def wall_clock() -> datetime:
    """When sends happen in AWS (tests set it)."""
    return datetime.now(UTC)


def while_time_left(context: Any) -> Continue:
    """Go on while a Lambda has more than a minute (or a fifth of its time) left."""
    margin = min(60_000, context.get_remaining_time_in_millis() // 5)
    return lambda: context.get_remaining_time_in_millis() > margin


def run_job(
    job: str,
    tenant_id: str,
    now: datetime,
    may_continue: Continue = always,
    shards: list[int] | None = None,
    channels: dict[str, Channel] | None = None,
    page_size: int = PAGE_SIZE,
    clock: Callable[[], datetime] | None = None,
    pacer: Pacer | None = None,
    workers: int = 1,
) -> dict:
    """Run a job for a tenant as of `now`, on every shard (or the given ones). Who is due
    is judged as of `now`; messages go by `clock` (the wall clock in AWS; `now` itself
    when not given, as on the command line). `workers`: the processes running the job at
    once, which share the tenant's pace (`pacer`: the process's, unless a test brings
    its own). Returns what it did; `finished` is False when it stopped for lack of
    time."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    sender = sender_for(tenant_id, channels, clock or (lambda: now), pacer, workers)
    sender.records.fold = True
    parts = shards if shards is not None else list(range(customers.INDEX_SHARDS))
    try:
        if job == MessageKind.WELCOME:
            finished = deliver_due(sender, may_continue, parts)
        else:
            walk = _reminder if job == MessageKind.REMINDER else _expiry
            finished = walk(sender, now, parts, may_continue, page_size)
    finally:
        sender.records.flush()
    return {"job": job, "tenant": tenant_id, "finished": finished, **dict(sender.outcomes)}


def as_of(tenant_id: str, day: date) -> datetime:
    """A job run for a date happens at the tenant's job hour, local time."""
    tenant = tenancy.tenant(tenant_id)
    return messaging.job_moment(tenant.messaging, day, tenant.zone)


def _reminder(
    sender: Sender, now: datetime, parts: list[int], may_continue: Continue, page_size: int
) -> bool:
    tenant = sender.tenant
    run = messaging.policy_for(MessageKind.REMINDER).period(now, tenant.zone)
    record = jobs.open_run(tenant.tenant_id, MessageKind.REMINDER, run, now, _all_parts("r"))

    def remind(customer: Customer, moment: datetime) -> None:
        threshold = tenant.redeem_threshold(moment)
        if threshold is None or customers.points_of(customer).available(moment) < threshold:
            return
        _plan_and_deliver(sender, customer, MessageKind.REMINDER, run)

    return _walk(sender, record, "redeemable", parts, remind, may_continue, page_size)


def _expiry(
    sender: Sender, now: datetime, parts: list[int], may_continue: Continue, page_size: int
) -> bool:
    """Expire what is due (the `expiry` index up to now), then warn whoever's expiring
    points entered the warning period since the last finished run (the `warning` index:
    each customer comes up once per expiring date, so a day reads only what is new)."""
    tenant, rules = sender.tenant, sender.rules
    warning = messaging.policy_for(MessageKind.EXPIRY)
    run = tenant.today(now).isoformat()
    looked = jobs.find_run(tenant.tenant_id, MessageKind.EXPIRY, "band")
    band_from = looked.band_to if looked and looked.band_to else None
    record = jobs.open_run(
        tenant.tenant_id,
        MessageKind.EXPIRY,
        run,
        now,
        _all_parts("x") + _all_parts("w"),
        (band_from, customers.utc_iso(now)),
    )
    after = datetime.fromisoformat(record.band_from) if record.band_from else None
    band_to = str(record.band_to)  # an expiry run always has its band
    until = datetime.fromisoformat(band_to)

    def warn(customer: Customer, moment: datetime) -> None:
        figures = warning.figures(
            customers.points_of(customer),
            tenant.benefits,
            moment,
            tenant.zone,
            rules.expiry_warning_days,
        )
        if figures.points and figures.expires_on:
            period = warning.period(moment, tenant.zone, figures.expires_on)
            _plan_and_deliver(sender, customer, MessageKind.EXPIRY, period)

    def expire_and_warn(customer: Customer, moment: datetime) -> None:
        """The next points to expire may already be within the period: warn now."""
        after_expiry = expire(sender, customer, moment)
        if after_expiry is not None:
            warn(after_expiry, moment)

    if not _walk(sender, record, "expiry", parts, expire_and_warn, may_continue, page_size):
        return False
    finished = _walk(sender, record, "warning", parts, warn, may_continue, page_size, after, until)
    if finished and jobs.finish(record, now):
        jobs.save_band_end(tenant.tenant_id, MessageKind.EXPIRY, band_to, now)
    return finished


def _plan_and_deliver(sender: Sender, customer: Customer, kind: str, period: str) -> None:
    """Plan and send at once: the message's first write is its claim (or its hold, or
    its skip), on condition that none exists for the period (else `already_planned`)."""
    moment = sender.clock()
    message = messages.new_message(
        sender.tenant.tenant_id, customer, kind, period, moment, sender.day(moment)
    )
    deliver(sender, message, customer, moment, new=True)


def _walk(
    sender: Sender,
    record: jobs.JobRun,
    index: str,
    parts: list[int],
    act: Callable[[Customer, datetime], None],
    may_continue: Continue,
    page_size: int,
    after: datetime | None = None,
    until: datetime | None = None,
) -> bool:
    """Go through each shard of a sparse index, entries in (after, until] (until: the
    run's moment), from the shard's checkpoint, acting on every customer. The checkpoint
    is saved after each page, and at the last customer acted on when time runs out.
    Then send what is due in the shard's outbox (retries, and messages planned by a run
    that stopped before sending them)."""
    now = record.as_of
    tenant_id = sender.tenant.tenant_id
    for shard in parts:
        part = f"{PHASES[index]}{shard}"
        cursor = jobs.cursor_of(record, part)
        while cursor != jobs.DONE:
            customers_page, next_start = customers.index_page(
                index, tenant_id, shard, until or now, after, jobs.cursor_from(cursor or None),
                page_size,
            )  # fmt: skip
            last = None
            for customer in customers_page:
                if not may_continue():
                    if last is not None:
                        jobs.save_cursor(record, part, jobs.cursor_text(last) or "")
                    return False
                last = customers.position_of(customer, index)  # before `act` moves it
                act(customer, now)
            cursor = jobs.cursor_text(next_start) or jobs.DONE
            jobs.save_cursor(record, part, cursor)
        if not deliver_due(sender, may_continue, [shard]):
            return False
    return True


PHASES = {"redeemable": "r", "expiry": "x", "warning": "w"}


def _all_parts(phase: str) -> list[str]:
    return [f"{phase}{shard}" for shard in range(customers.INDEX_SHARDS)]


def fan_out(job: str, tenant_id: str, now: datetime) -> int:
    """One SQS message per shard; each worker runs its shard (see `run_shard`)."""
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=settings.queue_name("jobs"))["QueueUrl"]
    for shard in range(customers.INDEX_SHARDS):
        body = {"job": job, "tenant": tenant_id, "shard": shard, "as_of": now.isoformat()}
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
    return customers.INDEX_SHARDS


def run_shard(body: str, may_continue: Continue) -> dict:
    """An SQS worker's part of a run; when time runs short it queues its continuation
    (the checkpoint says where to pick up)."""
    task = json.loads(body)
    report = run_job(
        task["job"],
        task["tenant"],
        datetime.fromisoformat(task["as_of"]),
        may_continue,
        [int(task["shard"])],
        clock=lambda: wall_clock(),
        workers=customers.INDEX_SHARDS,
    )
    if not report["finished"]:
        sqs = aws.client("sqs")
        url = sqs.get_queue_url(QueueName=settings.queue_name("jobs"))["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=body)
    return report


def fan_out_outbox(now: datetime | None = None) -> int:
    """Every tenant's outbox, shard by shard (the ten-minute schedule)."""
    now = now or datetime.now(UTC)
    return sum(fan_out(MessageKind.WELCOME, tenant_id, now) for tenant_id in network.tenant_ids())


def start_due_jobs(now: datetime | None = None) -> list[tuple[str, str]]:
    """The hourly schedule (UTC): start the jobs whose local hour has come."""
    now = now or datetime.now(UTC)
    started = due_jobs(now)
    for job, tenant_id in started:
        fan_out(job, tenant_id, now)
    return started


def due_jobs(now: datetime) -> list[tuple[str, str]]:
    """The (job, tenant) pairs whose local time has come: the expiry daily at the
    tenant's job hour, the reminder at that hour on the tenant's day of the month."""
    due: list[tuple[str, str]] = []
    for tenant_id in network.tenant_ids():
        tenant = tenancy.tenant(tenant_id)
        if messaging.is_job_hour(tenant.messaging, now, tenant.zone):
            due.append((MessageKind.EXPIRY, tenant_id))
        if messaging.is_reminder_hour(tenant.messaging, now, tenant.zone):
            due.append((MessageKind.REMINDER, tenant_id))
    return due
