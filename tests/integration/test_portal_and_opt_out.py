"""The portal link in a message, the portal page, and opting out: per channel from the
portal, and from SMS by keyword; honoured at send time."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bemtevi.channels.recorded import RecordedWhatsApp
from bemtevi.security import links
from bemtevi.store import messages
from bemtevi.store.customers import find_by_id
from bemtevi.store.models import ReplyRecord
from functions.messaging import configuration
from functions.messaging.automatic import run_job
from functions.messaging.replies import receive_sms
from tests.integration.messaging import REMINDER_DAY, TENANT, Recording, buy, phone, sent, welcomed

SMS_NUMBER = "+5511900001111"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def customer(shop, channels, tmp_path):
    configuration.set_messaging(
        TENANT,
        sms_number=SMS_NUMBER,
        channels=["whatsapp", "sms", "email"],
        whatsapp_phone_number_id="phone-number-id-1",
    )
    channels["whatsapp"] = Recording(RecordedWhatsApp(tmp_path / "whatsapp.jsonl"))
    customer_id = buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=20), email="ana@exemplo.com")
    welcomed(channels, REMINDER_DAY - timedelta(days=20))
    return customer_id


def portal_path(api, customer_id: str) -> str:
    message = messages.get_message(TENANT, customer_id, "welcome", "ever")
    response = api.get(f"/l/{message.link_code}")
    assert response.status_code == 302
    return response.headers["Location"]


def public_url() -> str:
    """BEMTEVI_PUBLIC_URL as the Chalice test client sets it: the `dev` stage's."""
    config = json.loads((Path(__file__).parents[2] / ".chalice" / "config.json").read_text())
    return config["stages"]["dev"]["environment_variables"]["BEMTEVI_PUBLIC_URL"]


def form_token(api, path: str) -> str:
    """The hidden field of the channel form, as the page renders it."""
    html = api.get(path).body.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def post_channels(api, path: str, checked: list[str], **headers: str):
    fields = {"form_token": form_token(api, path), **dict.fromkeys(checked, "sim")}
    return api.post(f"{path}/canais", headers={**FORM, **headers}, body=urlencode(fields))


def test_the_message_link_leads_to_the_customer_portal(api, customer):
    page = api.get(portal_path(api, customer))
    html = page.body.decode()
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Olá, Cliente!" in html
    assert "150 pontos" in html
    assert "R$ 10 de desconto" in html
    assert "Termos de uso" in html
    assert "(11) *****-4301" in html
    assert "+5511987654301" not in html


def test_a_forged_or_expired_link_gets_a_friendly_page_and_no_data(api, customer):
    path = portal_path(api, customer)
    token = path.removeprefix("/portal/")
    body, signature = token.split(".")
    forged = api.get(f"/portal/{body}.{signature[:-2]}xx")
    unknown = api.get("/l/zzzzzzzzzz")
    garbage = api.get("/portal/nothing-here")
    from functions.common import tenancy

    pepper = tenancy.tenant(TENANT).pepper
    old = links.token_for(
        pepper, links.PortalAccess(TENANT, customer, datetime.now(UTC) - timedelta(minutes=1))
    )
    expired = api.get(f"/portal/{old}")
    assert [r.status_code for r in (forged, unknown, garbage, expired)] == [404, 404, 404, 410]
    for response in (forged, unknown, garbage, expired):
        assert "150" not in response.body.decode()
        assert "Cliente" not in response.body.decode()
    assert "expirou" in expired.body.decode()


def _claims(**claims: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()


def test_a_token_or_code_with_non_ascii_gets_the_friendly_404(api, customer):
    path = portal_path(api, customer)
    body, signature = path.removeprefix("/portal/").split(".")
    tokens = [
        "%C3%A9abc",
        "éabc",
        f"{body}.{signature[:-1]}é",
        f"{body}é.{signature}",
        f"{_claims(t='', c='x', e=1)}.{signature}",
        f"{_claims(t='rédé', c='x', e=1)}.{signature}",
    ]
    answers = [api.get(f"/portal/{token}") for token in tokens]
    answers += [api.post(f"/portal/{token}/canais", headers=FORM, body="") for token in tokens]
    answers += [api.get(f"/l/{code}") for code in ("%C3%A9abc", "éabcdefgh", "ñ")]
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    for answer in answers:
        html = answer.body.decode()
        assert "Link inválido" in html
        assert "150" not in html
        assert "Cliente" not in html
    assert find_by_id(TENANT, customer).opted_out() == set()


def test_the_channel_form_is_refused_without_its_token_or_from_another_site(api, customer):
    from functions.common import tenancy

    path = portal_path(api, customer)
    pepper = tenancy.tenant(TENANT).pepper
    expiry = datetime.now(UTC) + timedelta(days=1)
    other = links.token_for(pepper, links.PortalAccess(TENANT, "outro-cliente", expiry))
    refused = [
        api.post(f"{path}/canais", headers=FORM, body=""),
        api.post(f"{path}/canais", headers=FORM, body=urlencode({"form_token": "x"})),
        api.post(f"{path}/canais", headers=FORM, body=urlencode({"form_token": "é"})),
        api.post(
            f"{path}/canais",
            headers=FORM,
            body=urlencode({"form_token": links.form_token(pepper, other)}),
        ),
        post_channels(api, path, [], Origin="https://outro-site.example"),
        post_channels(api, path, [], Referer="https://outro-site.example/pagina"),
    ]
    assert [answer.status_code for answer in refused] == [403] * len(refused)
    for answer in refused:
        html = answer.body.decode()
        assert "Não foi possível salvar" in html
        assert "Cliente" not in html
        assert "Location" not in answer.headers
    assert find_by_id(TENANT, customer).opted_out() == set()
    assert post_channels(api, path, [], Origin="null").status_code == 303
    assert find_by_id(TENANT, customer).opted_out() == {"whatsapp", "sms", "email"}


@pytest.mark.parametrize("kept_on", ["whatsapp", "sms", "email"])
def test_turning_a_channel_off_in_the_portal_is_honoured_at_send_time(
    api, customer, channels, kept_on
):
    path = portal_path(api, customer)
    response = post_channels(api, path, [kept_on], Origin=public_url())
    assert response.status_code == 303
    record = find_by_id(TENANT, customer)
    assert record.opted_out() == ({"whatsapp", "sms", "email"} - {kept_on})

    run_job("reminder", TENANT, REMINDER_DAY, channels=channels)

    assert sent(customer) == [("reminder", "2026-12", kept_on)]
    assert api.get(f"{path}?salvo=1").body.decode().count("Preferências salvas") == 1


def test_every_channel_off_sends_nothing(api, customer, channels):
    path = portal_path(api, customer)
    assert post_channels(api, path, []).status_code == 303
    report = run_job("reminder", TENANT, REMINDER_DAY, channels=channels)
    assert (report.get("sent", 0), report["skipped"]) == (0, 1)
    assert all(channel.sent_to == [] for channel in channels.values())


def test_an_opt_out_after_planning_is_caught_by_the_claim(customer, channels):
    """Opted out of WhatsApp between the read and the send: the claim's re-check stops
    it, and the message goes on the next channel left (SMS)."""
    from bemtevi.store.customers import find_by_id as read
    from functions.messaging.sending import deliver, sender_for

    stale = read(TENANT, customer)
    messages.set_opt_outs(read(TENANT, customer), {"whatsapp": True}, REMINDER_DAY)
    message = messages.new_message(TENANT, stale, "reminder", "2026-12", REMINDER_DAY, "x")
    assert messages.plan(message)
    assert deliver(sender_for(TENANT, channels), message, stale, REMINDER_DAY) == "sent"
    assert channels["whatsapp"].sent_to == []
    assert channels["sms"].sent_to == [phone(1)]
    assert messages.get_message(TENANT, customer, "reminder", "2026-12").channel == "sms"


@pytest.mark.parametrize(
    "reply",
    ["SAIR", "sair", "Parar", "PARE!", "stop", "Cancelar", "cancelar.", "Sáir", "pare de enviar"],
)
def test_each_keyword_opts_the_number_out_of_sms(customer, channels, reply):
    notification = {
        "originationNumber": phone(1),
        "destinationNumber": SMS_NUMBER,
        "messageBody": reply,
        "inboundMessageId": "in-1",
    }
    assert receive_sms(notification, REMINDER_DAY) == "opted_out"
    assert receive_sms(notification, REMINDER_DAY) == "repeated"
    assert find_by_id(TENANT, customer).opted_out() == {"sms"}
    configuration.set_messaging(TENANT, channels=["sms", "email"])

    run_job("reminder", TENANT, REMINDER_DAY, channels=channels)

    assert sent(customer) == [("reminder", "2026-12", "email")]


def test_other_replies_are_kept_and_opt_nothing_out(customer):
    notification = {
        "originationNumber": phone(1),
        "destinationNumber": SMS_NUMBER,
        "messageBody": "Quero saber meu saldo",
        "inboundMessageId": "in-2",
    }
    assert receive_sms(notification, REMINDER_DAY) == "kept"
    assert find_by_id(TENANT, customer).opted_out() == set()
    reply = ReplyRecord.get(*ReplyRecord.keys(f"T#{TENANT}#C#{customer}", "in-2"))
    assert (reply.text, reply.opted_out) == ("Quero saber meu saldo", False)
    assert receive_sms({**notification, "destinationNumber": "+5511900009999"}) == "ignored"
