"""Message jobs that spend their time on work: few AWS calls per message, templates
compiled once, and sends paced per channel at the tenant's rate."""

import json
from datetime import timedelta
from itertools import pairwise

import pytest
from jinja2.sandbox import SandboxedEnvironment

from bemtevi.domain.messaging import Bucket, MessagingRules, next_send
from bemtevi.errors import InvalidInput
from bemtevi.store.call_count import counting_aws_calls
from cli.main import main
from functions.messaging.automatic import run_job
from functions.messaging.pacing import Pacer
from functions.messaging.tenant_templates import set_template
from tests.integration.messaging import REMINDER_DAY, TENANT, buy, phone, welcomed

DUE = 12


class FakeClock:
    """A monotonic clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now, self.slept = 1000.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def due_customers(shop, channels) -> list[str]:
    bought = REMINDER_DAY - timedelta(days=20)
    ids = [buy(shop, n, 15000, bought) for n in range(DUE)]
    welcomed(channels, bought)
    return ids


def test_a_reminder_run_makes_at_most_three_aws_calls_per_message(due_customers, channels):
    with counting_aws_calls() as calls:
        report = run_job("reminder", TENANT, REMINDER_DAY, channels=channels)
    sent = report["sent"]
    # per run and shard, not per message: the run's record, index and outbox pages,
    # cursors
    shards = 8
    per_run = calls["dynamodb.PutItem"] + calls["dynamodb.Query"] + calls["dynamodb.UpdateItem"]
    per_message = (sum(calls.values()) - per_run) / sent

    assert sent == DUE
    assert calls["dynamodb.PutItem"] == 1
    assert calls["dynamodb.Query"] <= 2 * shards + 2  # and the tenant's templates, stores
    assert calls["dynamodb.UpdateItem"] <= shards
    assert calls["sns.Publish"] == sent
    # each claim carries the previous send's record; the last record goes alone
    assert calls["dynamodb.TransactWriteItems"] == sent + 1
    assert per_message <= 3
    assert set(calls) == {
        "dynamodb.PutItem", "dynamodb.Query", "dynamodb.UpdateItem",
        "dynamodb.TransactWriteItems", "sns.Publish",
    }  # fmt: skip


def test_every_message_of_a_big_run_is_recorded_sent(due_customers, channels):
    from bemtevi.store.messages import get_message

    report = run_job("reminder", TENANT, REMINDER_DAY, channels=channels)

    assert report["sent"] == DUE
    statuses = {get_message(TENANT, c, "reminder", "2026-12").status for c in due_customers}
    assert statuses == {"sent"}
    assert sorted(channels["sms"].sent_to) == sorted(phone(n) for n in range(DUE))


def test_templates_are_compiled_once_per_tenant_kind_and_channel(
    due_customers, channels, monkeypatch
):
    compiled: list[str] = []
    original = SandboxedEnvironment.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    set_template(TENANT, "reminder", "sms", text="{{ nome }}: {{ saldo }} pontos. {{ link }}")
    monkeypatch.setattr(SandboxedEnvironment, "compile", counting)
    report = run_job("reminder", TENANT, REMINDER_DAY, channels=channels)

    assert report["sent"] == DUE
    assert compiled == ["{{ nome }}: {{ saldo }} pontos. {{ link }}"]
    # a change of template is compiled (once) by the next run
    set_template(TENANT, "reminder", "sms", text="Oi {{ nome }}! {{ link }}")
    compiled.clear()
    again = run_job("reminder", TENANT, REMINDER_DAY + timedelta(days=31), channels=channels)
    assert again["sent"] == DUE
    assert compiled == ["Oi {{ nome }}! {{ link }}"]


def test_the_pacer_spaces_sends_at_the_configured_rate():
    clock = FakeClock()
    pacer = Pacer(clock, clock.sleep)
    moments = []
    for _ in range(5):
        pacer.wait("sms", 4)
        moments.append(clock())
    pacer.wait("email", 1)  # another channel has its own pace

    gaps = [round(b - a, 6) for a, b in pairwise(moments)]
    assert gaps == [0.25, 0.25, 0.25, 0.25]
    assert clock.slept == [0.25, 0.25, 0.25, 0.25]
    # after a pause the next send goes at once, with no burst above the pace
    clock.now += 10
    assert pacer.wait("sms", 4) == 0.0
    assert pacer.wait("sms", 4) == 0.25


def test_the_bucket_rule_never_goes_before_now():
    when, bucket = next_send(None, 2, 50.0)
    assert (when, bucket) == (50.0, Bucket(0.0, 50.0))
    when, bucket = next_send(bucket, 2, 50.1)
    assert (round(when, 6), bucket.tokens) == (50.5, 0.0)


def test_a_run_paces_its_sends_with_the_tenant_rate(due_customers, channels):
    from functions.messaging.configuration import set_messaging

    set_messaging(TENANT, sms_per_second=5)
    clock = FakeClock()
    report = run_job(
        "reminder", TENANT, REMINDER_DAY, channels=channels, pacer=Pacer(clock, clock.sleep)
    )

    assert report["sent"] == DUE
    assert [round(s, 6) for s in clock.slept] == [0.2] * (DUE - 1)


def test_shard_workers_share_the_tenant_pace(due_customers, channels):
    clock = FakeClock()
    pacer = Pacer(clock, clock.sleep)
    run_job("reminder", TENANT, REMINDER_DAY, channels=channels, pacer=pacer, workers=8)

    assert len(clock.slept) == DUE - 1
    assert {round(s, 6) for s in clock.slept} == {0.4}  # 20/s over 8


def test_the_pace_round_trips_through_the_cli(shop, capsys):
    code = main(
        ["messaging", "set", "--tenant", TENANT, "--sms-per-second", "2.5",
         "--email-per-second", "1", "--json"]
    )  # fmt: skip
    capsys.readouterr()
    assert code == 0
    main(["messaging", "show", "--tenant", TENANT, "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert (shown["sms_per_second"], shown["email_per_second"]) == (2.5, 1)
    assert shown["whatsapp_per_second"] == 20

    main(["messaging", "show", "--tenant", TENANT])
    assert "ritmo de envio: SMS 2,5/s, e-mail 1/s, WhatsApp 20/s" in capsys.readouterr().out

    code = main(["messaging", "set", "--tenant", TENANT, "--sms-per-second", "0", "--json"])
    error = json.loads(capsys.readouterr().err)["error"]
    assert code != 0
    assert (error["code"], error["field"]) == ("invalid_pace", "sms_per_second")
    assert "de 0,1 a 1000" in error["message"]


def test_the_defaults_stay_under_the_providers_limits():
    rules = MessagingRules()
    assert (rules.sms_per_second, rules.email_per_second, rules.whatsapp_per_second) == (
        20,
        14,
        20,
    )
    with pytest.raises(InvalidInput):
        MessagingRules(email_per_second=5000)


def test_a_refused_claim_records_the_send_it_carried_first(shop, channels):
    """The claim that carries the previous send's record finds the customer opted out:
    nothing of it was written, so the send is recorded alone, and the message goes on
    the next channel left."""
    from bemtevi.store import messages
    from bemtevi.store.customers import find_by_id
    from functions.messaging.sending import deliver, sender_for

    bought = REMINDER_DAY - timedelta(days=20)
    first = buy(shop, 1, 15000, bought)
    second = buy(shop, 2, 15000, bought, email="ana@exemplo.com")
    welcomed(channels, bought)
    stale = find_by_id(TENANT, second)
    messages.set_opt_outs(find_by_id(TENANT, second), {"sms": True}, REMINDER_DAY)
    sender = sender_for(TENANT, channels, lambda: REMINDER_DAY)
    sender.records.fold = True

    readers = [find_by_id(TENANT, first), stale]
    with counting_aws_calls() as calls:
        for customer in readers:
            message = messages.new_message(
                TENANT, customer, "reminder", "2026-12", REMINDER_DAY, "d"
            )
            assert deliver(sender, message, customer, REMINDER_DAY, new=True) == "sent"
    # claim 1; claim 2 with record 1, refused; record 1; claim 2 on SMS, refused; claim 2
    # on e-mail (after reading the customer again)
    assert calls["dynamodb.TransactWriteItems"] == 5
    assert calls["dynamodb.GetItem"] == 3  # the customer again, and each SMS number's suppression
    waiting = messages.get_message(TENANT, second, "reminder", "2026-12")
    assert waiting.status == "sending"  # recorded with the next claim, or by flush
    assert messages.get_message(TENANT, first, "reminder", "2026-12").status == "sent"
    sender.records.flush()

    assert channels["sms"].sent_to == [phone(1)]
    assert channels["email"].sent_to == ["ana@exemplo.com"]
    done = messages.get_message(TENANT, second, "reminder", "2026-12")
    assert (done.status, done.channel) == ("sent", "email")
