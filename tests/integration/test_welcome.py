"""The welcome: queued by the sale that first credits a customer, sent once ever."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from bemtevi.store import messages
from bemtevi.store.models import MessageCounterRecord
from functions.messaging.automatic import run_job
from functions.messaging.configuration import set_messaging
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
    # the second sale came before the welcome went: it tells what the first earned
    # and the balance, apart; transliterated to GSM-7, it is one segment
    to, text = sns_backends[DEFAULT_ACCOUNT_ID]["sa-east-1"].sms_messages[
        message.provider_message_id
    ]
    assert to == "+5511987654321"
    assert text == (
        "Rede Teste: Ana, voce ganhou 159 pontos. Saldo: 318 pontos. "
        f"Veja e troque: http://127.0.0.1:8000/l/{message.link_code}"
    )
    assert (message.segments, message.cost) == (1, 7)
    assert message.outbox_pk is None
    day = at.astimezone(ZONE).date().isoformat()
    counter = MessageCounterRecord.get(
        *MessageCounterRecord.keys("rede-teste", "loja-1", day, "welcome", "sms")
    )
    assert (counter.sent, counter.segments, counter.cost) == (1, 1, 7)


def test_an_anonymous_sale_and_a_sale_without_points_queue_nothing(pos):
    pos.post("/v1/sales", sale("v-1"))
    answer = pos.post("/v1/sales", sale("v-2", total=50, customer={"cpf": CPF})).json_body
    assert answer["points_earned"] == 0
    assert messages.messages_of("rede-teste", answer["customer_id"]) == []


def test_a_tenant_that_keeps_accents_pays_for_ucs2(pos):
    set_messaging("rede-teste", sms_accents=True)
    answer = pos.post(
        "/v1/sales", sale("v-1", customer={"cpf": CPF, "phone": PHONE, "name": "Ana Lima"})
    ).json_body

    assert run_job("welcome", "rede-teste", ten_tomorrow())["sent"] == 1
    message = messages.get_message("rede-teste", answer["customer_id"], "welcome", "ever")
    _, text = sns_backends[DEFAULT_ACCOUNT_ID]["sa-east-1"].sms_messages[
        message.provider_message_id
    ]
    assert text.startswith("Rede Teste: Ana, você ganhou 159 pontos. Saldo: 159 pontos.")
    assert (message.segments, message.cost) == (2, 14)
