"""The reminder and expiry jobs, quiet hours, retries and resumption, with the clock set
by the tests: every message goes at most once per customer and period, to whoever is
due, and nothing goes at night."""

from datetime import timedelta

import boto3
from botocore.stub import Stubber

from bemtevi.channels.sms import SnsSms
from bemtevi.store import messages
from bemtevi.store.customers import find_by_id, ledger
from bemtevi.store.models import DayCounterRecord, MessageCounterRecord
from functions.messaging.automatic import run_job
from functions.messaging.log import message_log
from tests.integration.messaging import REMINDER_DAY, TENANT, buy, phone, sent, welcomed


def test_the_reminder_goes_once_a_month_and_only_to_who_can_redeem(shop, channels):
    bought = REMINDER_DAY - timedelta(days=20)
    rich = buy(shop, 1, 15000, bought)
    poor = buy(shop, 2, 5000, bought)
    welcomed(channels, bought)

    first = run_job("reminder", TENANT, REMINDER_DAY, channels=channels)
    again = run_job("reminder", TENANT, REMINDER_DAY + timedelta(days=3), channels=channels)
    next_month = run_job("reminder", TENANT, REMINDER_DAY + timedelta(days=31), channels=channels)

    assert (first["sent"], first["finished"], again.get("sent", 0)) == (1, True, 0)
    assert next_month["sent"] == 1
    assert sent(rich) == [("reminder", "2026-12", "sms"), ("reminder", "2027-01", "sms")]
    assert sent(poor) == []
    assert channels["sms"].sent_to == [phone(1), phone(1)]


def test_quiet_hours_hold_a_message_until_the_next_morning(shop, channels):
    buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    welcomed(channels, REMINDER_DAY - timedelta(days=20))
    night = REMINDER_DAY.replace(hour=21)

    held = run_job("reminder", TENANT, night, channels=channels)
    early = run_job("welcome", TENANT, night + timedelta(hours=10), channels=channels)
    morning = run_job("welcome", TENANT, night + timedelta(hours=12), channels=channels)

    assert (held.get("sent", 0), held["held"]) == (0, 1)
    assert early.get("sent", 0) == 0
    assert morning["sent"] == 1
    assert channels["sms"].sent_to == [phone(1)]


def test_the_expiry_warns_once_per_date_and_expires_due_lots(shop, channels):
    soon = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=170))  # expires in 10 days
    gone = buy(shop, 2, 8000, REMINDER_DAY - timedelta(days=181))  # expired yesterday
    later = buy(shop, 3, 9000, REMINDER_DAY - timedelta(days=100))  # expires in 80 days
    welcomed(channels, REMINDER_DAY - timedelta(days=100))

    first = run_job("expiry", TENANT, REMINDER_DAY, channels=channels)
    next_day = run_job("expiry", TENANT, REMINDER_DAY + timedelta(days=1), channels=channels)
    same_day = run_job("expiry", TENANT, REMINDER_DAY + timedelta(days=1), channels=channels)

    expires_on = (REMINDER_DAY - timedelta(days=170) + timedelta(days=180)).date().isoformat()
    assert sent(soon) == [("expiry", expires_on, "sms")]
    assert sent(later) == []
    assert sent(gone) == []
    assert (first["sent"], next_day.get("sent", 0), same_day.get("sent", 0)) == (1, 0, 0)
    # the report says how many customers and points it expired
    assert (first["customers_expired"], first["points_expired"]) == (1, 80)
    assert "customers_expired" not in next_day
    assert "points_expired" not in same_day
    customer = find_by_id(TENANT, gone)
    assert (customer.balance, customer.expiry_pk, customer.redeemable_pk) == (0, None, None)
    assert sorted((e.entry_kind, int(e.points)) for e in ledger(TENANT, gone)) == [
        ("earned", 80),
        ("expired", -80),
    ]
    day = REMINDER_DAY.date().isoformat()
    counter = DayCounterRecord.get(*DayCounterRecord.keys(TENANT, "loja-1", day))
    assert counter.points_expired == 80


def test_a_provider_failing_twice_then_succeeding_sends_once(shop):
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    client = boto3.client("sns")
    stubber = Stubber(client)
    for _ in range(2):
        stubber.add_client_error("publish", "Throttling", http_status_code=400)
    stubber.add_response("publish", {"MessageId": "sns-1"})
    stubber.activate()
    channels = {"sms": SnsSms(client=client)}

    reports = [
        run_job("welcome", TENANT, REMINDER_DAY + timedelta(minutes=minutes), channels=channels)
        for minutes in (0, 2, 4, 10)
    ]

    assert [r.get("retry", 0) for r in reports] == [1, 1, 0, 0]
    assert [r.get("sent", 0) for r in reports] == [0, 0, 0, 1]
    message = messages.get_message(TENANT, customer_id, "welcome", "ever")
    assert (message.status, message.attempts, message.provider_message_id) == ("sent", 3, "sns-1")
    stubber.assert_no_pending_responses()


def test_a_provider_that_keeps_failing_ends_failed_in_the_dead_letter_queue(shop):
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    client = boto3.client("sns")
    stubber = Stubber(client)
    stubber.add_client_error("publish", "InvalidParameter", http_status_code=400)
    stubber.activate()

    report = run_job("welcome", TENANT, REMINDER_DAY, channels={"sms": SnsSms(client=client)})

    assert report["failed"] == 1
    message = messages.get_message(TENANT, customer_id, "welcome", "ever")
    assert (message.status, message.error, message.outbox_pk) == (
        "failed",
        "InvalidParameter",
        None,
    )
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="bemtevi-test-dlq")["QueueUrl"]
    body = sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]
    assert '"reason": "InvalidParameter"' in body
    assert "+55" not in body


def test_a_job_killed_midway_and_resumed_sends_each_message_exactly_once(shop, channels):
    customer_ids = [buy(shop, n, 15000, REMINDER_DAY - timedelta(days=20)) for n in range(7)]
    welcomed(channels, REMINDER_DAY - timedelta(days=20))
    budget = iter([True] * 3)

    stopped = run_job(
        "reminder",
        TENANT,
        REMINDER_DAY,
        may_continue=lambda: next(budget, False),
        channels=channels,
        page_size=2,
    )
    resumed = run_job("reminder", TENANT, REMINDER_DAY + timedelta(minutes=5), channels=channels)
    twice = run_job("reminder", TENANT, REMINDER_DAY + timedelta(minutes=9), channels=channels)

    assert (stopped["finished"], resumed["finished"], twice["finished"]) == (False, True, True)
    assert stopped.get("sent", 0) == 3
    assert stopped.get("sent", 0) + resumed["sent"] == 7
    assert twice.get("sent", 0) == 0
    assert sorted(channels["sms"].sent_to) == sorted(phone(n) for n in range(7))
    for customer_id in customer_ids:
        assert sent(customer_id) == [("reminder", "2026-12", "sms")]


def test_a_claim_left_by_a_dead_run_is_not_sent_again(shop, channels):
    """Killed between the claim and the record: the provider may have sent it, so after
    the lease it is marked failed (interrupted) and dead-lettered, never sent twice."""
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    message = messages.get_message(TENANT, customer_id, "welcome", "ever")
    lease = REMINDER_DAY + timedelta(minutes=15)
    assert messages.claim(message, "sms", None, REMINDER_DAY, lease) is messages.Claim.TAKEN

    within_lease = run_job(
        "welcome", TENANT, REMINDER_DAY + timedelta(minutes=5), channels=channels
    )
    after_lease = run_job(
        "welcome", TENANT, REMINDER_DAY + timedelta(minutes=20), channels=channels
    )

    assert within_lease.get("failed", 0) == 0
    assert after_lease["failed"] == 1
    assert channels["sms"].sent_to == []
    record = messages.get_message(TENANT, customer_id, "welcome", "ever")
    assert (record.status, record.error, record.outbox_pk) == ("failed", "interrupted", None)


def test_points_that_come_next_to_expire_are_warned_about_too(shop, channels):
    """Two lots a week apart: the second enters the warning period while the first is
    still the customer's next expiry, and is warned about once it is."""
    first_sale = REMINDER_DAY - timedelta(days=170)  # expires on day 5 + 10
    customer_id = buy(shop, 1, 15000, first_sale, cpf="714.602.380-01")
    buy(shop, 1, 9000, first_sale + timedelta(days=7), cpf="714.602.380-01")  # day 5 + 17
    welcomed(channels, first_sale)

    for day in range(25):
        run_job("expiry", TENANT, REMINDER_DAY + timedelta(days=day), channels=channels)

    expires = [(first_sale + timedelta(days=180 + week)).date().isoformat() for week in (0, 7)]
    assert sent(customer_id) == [("expiry", expires[0], "sms"), ("expiry", expires[1], "sms")]
    assert channels["sms"].sent_to == [phone(1), phone(1)]


def test_a_message_counts_and_lists_on_the_day_it_was_sent(shop, channels):
    """A reminder held at night goes the next morning, and a job run as of one date
    sends at another: each counts in the store-day counter, and lists, on its send day."""
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20))
    soon = buy(shop, 2, 9000, REMINDER_DAY - timedelta(days=170))
    welcomed(channels, REMINDER_DAY - timedelta(days=20))
    night = REMINDER_DAY.replace(hour=21)
    morning = night + timedelta(hours=13)  # 10:00 the next day
    held = run_job("reminder", TENANT, night, channels=channels)
    sent_next_day = run_job("welcome", TENANT, morning, channels=channels)
    late = run_job("expiry", TENANT, REMINDER_DAY, channels=channels, clock=lambda: morning)

    assert (held["held"], sent_next_day["sent"], late["sent"]) == (1, 1, 1)
    day, next_day = REMINDER_DAY.date(), morning.date()
    assert sorted((m["kind"], m["status"]) for m in message_log(TENANT, next_day)) == [
        ("expiry", "sent"),
        ("reminder", "sent"),
    ]
    assert message_log(TENANT, day) == []
    for kind, who in (("reminder", customer_id), ("expiry", soon)):
        counter = MessageCounterRecord.get(
            *MessageCounterRecord.keys(TENANT, "loja-1", next_day.isoformat(), kind, "sms")
        )
        assert (counter.sent, counter.segments, counter.cost) == (1, 1, 7), who
        assert not _exists(
            MessageCounterRecord.keys(TENANT, "loja-1", day.isoformat(), kind, "sms")
        )


def _exists(keys) -> bool:
    return MessageCounterRecord.count(keys[0], MessageCounterRecord.sk == keys[1]) > 0
