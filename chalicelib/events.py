"""What runs without a person asking: EventBridge schedules, SQS job shards and inbound
SMS from SNS. Each handler is observed like a request: a correlation id, one log line
with its report, and its counts as metrics."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from chalice import Blueprint, Cron, Rate
from chalice.app import SNSEvent, SQSEvent

from bemtevi import settings
from bemtevi.lazy import lazy_module
from bemtevi.observability import logger, report_job, traced

jobs = lazy_module("functions.jobs")
message_jobs = lazy_module("functions.messaging.automatic")
replies = lazy_module("functions.messaging.replies")
campaign_jobs = lazy_module("functions.campaigns.send")
schedule = lazy_module("bemtevi.domain.schedule")

events = Blueprint(__name__)


def observed(name: str) -> Callable:
    """Runs a handler with the invocation's request id as correlation id, then logs and
    measures the report it returns."""

    def wrap(handler: Callable[[Any], object]) -> Callable[[Any], None]:
        @wraps(handler)
        def run(event: Any) -> None:
            context = getattr(event, "context", None)
            logger.set_correlation_id(getattr(context, "aws_request_id", None))
            with traced(f"## {name}"):
                report = handler(event)
            report_job(name, report)

        return run

    return wrap


@events.schedule(Cron(10, "*", "*", "*", "?", "*"), name="monthly_metrics")
@observed("monthly_metrics")
def monthly_metrics(event: Any) -> object:
    """Hourly; acts for each tenant on the 1st, from 01:00 its time."""
    return jobs.run_monthly("metrics", datetime.now(UTC), schedule.METRICS_HOUR)


@events.schedule(Cron(40, "*", "*", "*", "?", "*"), name="monthly_compensation")
@observed("monthly_compensation")
def monthly_compensation(event: Any) -> object:
    """Hourly; closes the previous month for each tenant on the 1st, from 02:00 its time."""
    return jobs.run_monthly("compensation", datetime.now(UTC), schedule.COMPENSATION_HOUR)


@events.schedule(Cron(20, "*", "*", "*", "?", "*"), name="nightly_rollup")
@observed("nightly_rollup")
def nightly_rollup(event: Any) -> object:
    """Hourly; folds each tenant's day counters through yesterday into the store-month
    items, once a day, from midnight its time."""
    return jobs.run_nightly("rollup", datetime.now(UTC), schedule.ROLLUP_HOUR)


@events.schedule(Rate(10, unit=Rate.MINUTES), name="send_outbox")
@observed("send_outbox")
def send_outbox(event: Any) -> object:
    """Welcomes, messages held by quiet hours and retries: every tenant, every shard."""
    return {"shards_queued": message_jobs.fan_out_outbox()}


@events.schedule(Rate(10, unit=Rate.MINUTES), name="send_campaigns")
@observed("send_campaigns")
def send_campaigns(event: Any) -> object:
    """Every tenant's campaigns due by now, from their checkpoints, inside the sending
    hours; stops before Lambda's limit (the next firing goes on)."""
    may_continue = message_jobs.while_time_left(event.context)
    return {"runs": campaign_jobs.send_all(datetime.now(UTC), may_continue)}


@events.schedule(Cron(0, "*", "*", "*", "?", "*"), name="start_message_jobs")
@observed("start_message_jobs")
def start_message_jobs(event: Any) -> object:
    """Hourly in UTC: the expiry and reminder jobs of tenants whose local hour it is."""
    return {"jobs_started": len(message_jobs.start_due_jobs())}


@events.on_sqs_message(queue=settings.queue_name("jobs"), batch_size=1, name="run_job_shard")
@observed("run_job_shard")
def run_job_shard(event: SQSEvent) -> object:
    """One shard of a job; it stops before Lambda's limit and queues the rest."""
    may_continue = message_jobs.while_time_left(event.context)
    return [message_jobs.run_shard(record.body, may_continue) for record in event]


@events.on_sns_message(topic=settings.inbound_sms_topic(), name="receive_sms")
@observed("receive_sms")
def receive_sms(event: SNSEvent) -> object:
    return {replies.receive_sms(json.loads(event.message)): 1}
