"""The welcome: queued by the sale that first credits a customer, sent once ever."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bemtevi.store import messages
from bemtevi.store.models import MessageCounterRecord
from functions.message_jobs import run_job
from tests.integration.test_sales import CPF, PHONE, sale

ZONE = ZoneInfo("America/Sao_Paulo")


def ten_tomorrow() -> datetime:
    tomorrow = datetime.now(ZONE).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, tzinfo=ZONE)


def test_the_first_credit_queues_one_welcome_sent_once_ever(pos):
    first = pos.post(
        "/v1/sales", sale("v-1", customer={"cpf": CPF, "phone": PHONE, "name": "Ana Lima"})
    )
    pos.post("/v1/sales", sale("v-2", customer={"cpf": CPF}))
    customer_id = first.json_body["customer_id"]
    queued = messages.messages_of("rede-teste", customer_id)
    assert [(m.message_kind, m.period, m.status) for m in queued] == [("welcome", "ever", "queued")]

    at = ten_tomorrow()
    report = run_job("welcome", "rede-teste", at)
    again = run_job("welcome", "rede-teste", at + timedelta(hours=1))

    assert report["sent"] == 1
    assert "sent" not in again
    message = messages.get_message("rede-teste", customer_id, "welcome", "ever")
    assert (message.status, message.channel, message.attempts) == ("sent", "sms", 1)
    # "você" is outside GSM-7: UCS-2, 70 characters a segment, and the link makes it two
    assert message.provider_message_id
    assert (message.segments, message.cost) == (2, 14)
    assert message.outbox_pk is None
    day = at.astimezone(ZONE).date().isoformat()
    counter = MessageCounterRecord.get(
        *MessageCounterRecord.keys("rede-teste", "loja-1", day, "welcome", "sms")
    )
    assert (counter.sent, counter.segments, counter.cost) == (1, 2, 14)


def test_an_anonymous_sale_and_a_sale_without_points_queue_nothing(pos):
    pos.post("/v1/sales", sale("v-1"))
    answer = pos.post("/v1/sales", sale("v-2", total=50, customer={"cpf": CPF})).json_body
    assert answer["points_earned"] == 0
    assert messages.messages_of("rede-teste", answer["customer_id"]) == []
