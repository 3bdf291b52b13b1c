"""LGPD: a scripted customer's export equals a hand-built document; after the erasure no
item of any table holds their CPF, phone, name or e-mail (nor the keyed hashes that led to
them), sales, ledger, metrics and compensation are unchanged, and the same CPF at a later
sale starts a new customer with no history."""

import json
from datetime import UTC, timedelta
from urllib.parse import urlencode

import boto3
import pytest

from bemtevi.domain.customers import identity_hash
from bemtevi.errors import NotFound
from bemtevi.store import privacy
from functions.common import tenancy
from functions.loyalty.sales import record_sale
from functions.messaging import configuration
from functions.messaging.automatic import run_job
from functions.messaging.replies import receive_sms
from functions.privacy import rights
from tests.integration.messaging import REMINDER_DAY, TENANT

CPF, PHONE, NAME, EMAIL = "52998224725", "+5511987654301", "Ana Beatriz Souza", "ana@exemplo.com"
SMS_NUMBER = "+5511900001111"
BOUGHT = REMINDER_DAY - timedelta(days=20)


def _sale(shop, sale_id: str, total: int, **customer) -> dict:
    payload = {
        "sale_id": sale_id,
        "occurred_at": BOUGHT.isoformat(),
        "total": total,
        "customer": customer,
    }
    return record_sale(shop, payload, now=BOUGHT).body


@pytest.fixture
def ana(shop, channels) -> str:
    configuration.set_messaging(TENANT, sms_number=SMS_NUMBER, channels=["sms", "email"])
    answer = _sale(shop, "v-1", 15000, cpf=CPF, phone=PHONE, name=NAME, email=EMAIL)
    assert run_job("welcome", TENANT, BOUGHT, channels=channels)["finished"]
    notification = {
        "originationNumber": PHONE,
        "destinationNumber": SMS_NUMBER,
        "messageBody": "Obrigada, Ana aqui",
        "inboundMessageId": "in-1",
    }
    assert receive_sms(notification, BOUGHT) == "kept"
    return answer["customer_id"]


def every_item() -> list[str]:
    """Every item of every local table, as text (tests may read whole tables)."""
    client = boto3.client("dynamodb")
    texts = []
    for table in client.list_tables()["TableNames"]:
        for page in client.get_paginator("scan").paginate(TableName=table):
            texts.extend(str(item) for item in page["Items"])
    return texts


def test_the_export_is_everything_held_about_the_customer(ana):
    document = rights.export(TENANT, ana)
    when = BOUGHT.astimezone(UTC).isoformat()
    assert document == {
        "rede": TENANT,
        "cliente": ana,
        "dados_pessoais": {
            "cpf": CPF,
            "phone": PHONE,
            "name": NAME,
            "email": EMAIL,
            "birthday": None,
        },
        "pontos": {"saldo": 150, "divida": 0},
        "compras": {
            "visitas": 1,
            "total_gasto_centavos": 15000,
            "primeira": when,
            "ultima": when,
            "lojas": ["loja-1"],
        },
        "canais_desligados": [],
        "extrato": [
            {"tipo": "earned", "quando": when, "pontos": 150, "loja": "loja-1", "venda": "v-1"}
        ],
        "mensagens": [{"tipo": "welcome", "periodo": "ever", "canal": "sms", "situacao": "sent"}],
        "respostas": [{"texto": "Obrigada, Ana aqui", "quando": when}],
    }


def test_after_the_erasure_no_item_holds_the_person(ana, shop):
    pepper = tenancy.tenant(TENANT).pepper
    cpf_hash, phone_hash = identity_hash(pepper, "cpf", CPF), identity_hash(pepper, "phone", PHONE)
    forms = [CPF, "529.982.247-25", PHONE, PHONE[3:], "98765-4301", NAME, "Ana", EMAIL]
    before = every_item()
    assert any(CPF in text for text in before)
    assert any(phone_hash in text for text in before)
    kept = [text for text in before if "'kind': {'S': 'sale'}" in text or "LEDGER#" in text]
    counters = [text for text in before if "#DAY#" in text or "#COMP#" in text]

    receipt = rights.erase(TENANT, ana, REMINDER_DAY)

    assert receipt["itens"] == {
        "aliases": 1,
        "links": 1,
        "replies": 1,
        "number_replies": 0,
        "messages": 1,
        "profile": 1,
    }
    after = every_item()
    for text in after:
        for form in [*forms, cpf_hash, phone_hash]:
            assert form not in text
    assert [text for text in after if text in kept] == kept
    [receipt_item] = privacy.erasures(TENANT)
    assert (receipt_item.customer_id, receipt_item.source, receipt_item.status) == (
        ana,
        "ops",
        "done",
    )
    assert [text for text in after if "#DAY#" in text or "#COMP#" in text] == counters
    with pytest.raises(NotFound):
        rights.customer_id_by_cpf(TENANT, CPF)


def test_a_later_sale_with_the_same_cpf_starts_a_new_customer(ana, shop):
    rights.erase(TENANT, ana, REMINDER_DAY)
    later = _sale(shop, "v-2", 5000, cpf=CPF)
    assert later["customer_id"] != ana
    assert later["balance"] == 50
    document = rights.export(TENANT, later["customer_id"])
    assert (document["compras"]["visitas"], len(document["extrato"])) == (1, 1)
    assert document["respostas"] == []
    assert document["dados_pessoais"]["phone"] is None
    # a new customer: only its own welcome, waiting to go
    assert document["mensagens"] == [
        {"tipo": "welcome", "periodo": "ever", "canal": None, "situacao": "queued"}
    ]
    again = _sale(shop, "v-3", 1000, cpf=CPF)
    assert (again["customer_id"], again["balance"]) == (later["customer_id"], 60)


def test_ops_export_and_erase_from_the_command_line(ana, capsys):
    from cli.main import main

    assert main(["customer", "export", "--tenant", TENANT, "--cpf", CPF, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dados_pessoais"]["name"] == NAME
    assert main(["customer", "erase", "--tenant", TENANT, "--cpf", CPF]) == 1
    assert "nada foi apagado" in capsys.readouterr().err
    assert main(["customer", "erase", "--tenant", TENANT, "--cpf", CPF, "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cliente"] == ana
    assert main(["customer", "export", "--tenant", TENANT, "--cpf", CPF, "--json"]) == 1
    assert json.loads(capsys.readouterr().err)["error"]["code"] == "customer_not_found"


def test_an_opt_out_from_an_unknown_number_is_honoured_when_a_customer_gets_it(shop, channels):
    configuration.set_messaging(TENANT, sms_number=SMS_NUMBER, channels=["sms", "email"])
    notification = {
        "originationNumber": PHONE,
        "destinationNumber": SMS_NUMBER,
        "messageBody": "SAIR",
        "inboundMessageId": "in-9",
    }
    assert receive_sms(notification, BOUGHT) == "opted_out"
    answer = _sale(shop, "v-1", 15000, cpf=CPF, phone=PHONE, email=EMAIL)
    assert run_job("welcome", TENANT, BOUGHT, channels=channels)["finished"]
    assert channels["sms"].sent_to == []
    assert channels["email"].sent_to == [EMAIL]
    assert rights.export(TENANT, answer["customer_id"])["canais_desligados"] == ["sms"]


def test_the_customer_sees_downloads_and_erases_their_data_from_the_link(ana, api):
    from tests.integration.test_portal_and_opt_out import FORM, form_token, portal_path

    path = portal_path(api, ana)
    assert 'href="' + path + '/meus-dados"' in api.get(path).body.decode()
    shown = api.get(f"{path}/meus-dados").body.decode()
    assert NAME in shown
    assert EMAIL in shown
    download = api.get(f"{path}/meus-dados.json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="meus-dados.json"'
    assert json.loads(download.body) == rights.export(TENANT, ana)
    token = form_token(api, f"{path}/meus-dados")
    unticked = api.post(f"{path}/apagar", headers=FORM, body=urlencode({"form_token": token}))
    assert unticked.status_code == 303
    assert rights.customer_id_by_cpf(TENANT, CPF) == ana
    forged = api.post(f"{path}/apagar", headers=FORM, body=urlencode({"confirmo": "sim"}))
    assert forged.status_code == 403
    fields = {"form_token": token, "confirmo": "sim"}
    erased = api.post(f"{path}/apagar", headers=FORM, body=urlencode(fields))
    assert erased.status_code == 200
    assert "Seus dados foram apagados" in erased.body.decode()
    assert NAME not in erased.body.decode()
    assert api.get(path).status_code == 404
    assert api.get(f"{path}/meus-dados.json").status_code == 404
    with pytest.raises(NotFound):
        rights.customer_id_by_cpf(TENANT, CPF)
