"""The Lambda handlers of the messages, invoked as AWS would with the sample events:
the hourly schedule fans the due jobs out to SQS, shard workers run them (continuing
themselves when time runs short), and inbound SMS opt out."""

import io
import json
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from chalice.test import Client

from app import app
from bemtevi.observability import logger
from bemtevi.store import messages
from bemtevi.store.customers import find_by_id
from functions.messaging import automatic, configuration
from functions.messaging.automatic import fan_out, run_shard, start_due_jobs
from tests.integration.messaging import REMINDER_DAY, TENANT, buy, phone, sent

EVENTS = Path(__file__).resolve().parents[2] / "events"


def jobs_queue() -> tuple:
    sqs = boto3.client("sqs")
    return sqs, sqs.get_queue_url(QueueName="bemtevi-test-jobs")["QueueUrl"]


def drain(client: Client, limit: int = 200) -> int:
    """Deliver the jobs queue to the shard worker until it is empty; returns how many
    messages it took (more than one per shard means a shard continued itself)."""
    sqs, url = jobs_queue()
    delivered = 0
    while delivered < limit:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
        if not batch:
            return delivered
        message = batch[0]
        event = client.events.generate_sqs_event(
            message_bodies=[message["Body"]], queue_name="bemtevi-test-jobs"
        )
        client.lambda_.invoke("run_job_shard", event)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        delivered += 1
    raise AssertionError("the jobs queue never emptied")


@pytest.fixture(autouse=True)
def clock_at_ten(monkeypatch):
    """Shard workers send by the wall clock: set it to the job's hour."""
    monkeypatch.setattr(automatic, "wall_clock", lambda: REMINDER_DAY)


def test_the_hourly_schedule_starts_the_jobs_of_tenants_whose_hour_it_is(shop):
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    assert start_due_jobs(REMINDER_DAY - timedelta(hours=1)) == []
    started = start_due_jobs(REMINDER_DAY)
    assert started == [("expiry", TENANT), ("reminder", TENANT)]
    with Client(app, stage_name="test") as client:
        assert drain(client) >= 16
    assert sent(customer_id) == [("reminder", "2026-12", "sms")]


def test_a_shard_short_of_time_queues_its_continuation(shop):
    customer_ids = [buy(shop, n, 15000, REMINDER_DAY - timedelta(days=20)) for n in range(12)]
    fan_out("reminder", TENANT, REMINDER_DAY)
    sqs, url = jobs_queue()
    continuations = 0
    for _ in range(100):
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
        if not batch:
            break
        budget = iter([True])  # one customer per invocation: a scaled-down Lambda
        report = run_shard(batch[0]["Body"], lambda budget=budget: next(budget, False))
        continuations += not report["finished"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=batch[0]["ReceiptHandle"])
    assert continuations >= 12
    for customer_id in customer_ids:
        assert sent(customer_id) == [("reminder", "2026-12", "sms")]


def test_the_inbound_sms_sample_opts_its_number_out(shop):
    configuration.set_messaging(TENANT, sms_number="+5511900000000")
    customer_id = buy(shop, 21, 15000, REMINDER_DAY - timedelta(days=1))
    event = json.loads((EVENTS / "inbound-sms.json").read_text())
    notification = json.loads(event["Records"][0]["Sns"]["Message"])
    notification["originationNumber"] = phone(21)
    event["Records"][0]["Sns"]["Message"] = json.dumps(notification)
    with Client(app, stage_name="test") as client:
        client.lambda_.invoke("receive_sms", event)
    assert find_by_id(TENANT, customer_id).opted_out() == {"sms"}


def test_a_continuation_that_runs_into_the_night_holds_its_messages(shop, monkeypatch):
    """Who is due is judged as of the run; whether a message may go, by the wall clock."""
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    monkeypatch.setattr(automatic, "wall_clock", lambda: REMINDER_DAY.replace(hour=22))
    fan_out("reminder", TENANT, REMINDER_DAY)
    sqs, url = jobs_queue()
    while batch := sqs.receive_message(QueueUrl=url).get("Messages", []):
        run_shard(batch[0]["Body"], lambda: True)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=batch[0]["ReceiptHandle"])
    assert sent(customer_id) == []
    held = messages.get_message(TENANT, customer_id, "reminder", "2026-12")
    assert (held.status, held.due_at) == ("queued", "2026-12-06T12:00:00+00:00")


def test_a_shard_run_logs_its_report_and_emits_its_counts_as_metrics(shop, monkeypatch, capsys):
    """Handlers are observed like requests: one log line with the report, EMF metrics."""
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    fan_out("reminder", TENANT, REMINDER_DAY)
    sent_before = len(all_sent(customer_id))
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    handler = logger.registered_handler
    logs = io.StringIO()
    previous = handler.setStream(logs)
    capsys.readouterr()
    try:
        with Client(app, stage_name="test") as client:
            assert drain(client) >= 8
    finally:
        handler.setStream(previous)
    assert sent(customer_id) == [("reminder", "2026-12", "sms")]
    sent_now = len(all_sent(customer_id)) - sent_before  # the reminder, and the welcome
    assert sent_now >= 1
    reports = [
        line
        for line in map(json.loads, logs.getvalue().splitlines())
        if line["message"] == "job finished"
    ]
    assert {line["job"] for line in reports} == {"run_job_shard"}
    assert all(line["correlation_id"] for line in reports)
    assert sum(line["report"].get("sent", 0) for line in reports) == sent_now
    emitted = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and "_aws" in line
    ]
    shard_metrics = [blob for blob in emitted if blob.get("job") == "run_job_shard"]
    assert len(shard_metrics) == len(reports)
    assert sum(sum(blob.get("sent", [0])) for blob in shard_metrics) == sent_now
    assert all(blob["JobRuns"] == [1.0] for blob in shard_metrics)


def all_sent(customer_id: str) -> list:
    return [m for m in messages.messages_of(TENANT, customer_id) if m.status == "sent"]
