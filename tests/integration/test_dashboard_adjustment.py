"""POST /painel/clientes/{customer_id}/ajuste: a network admin adjusts a customer's points
through the function `bemtevi customer adjust` calls; the adjustment is in the ledger
(with its reason), the balance, the store's counters and the audit (no CPF); a refused
value comes back by its field with the form re-filled; no CSRF token, a store manager or
another tenant's customer writes nothing; the same form submitted twice adjusts once."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.store import network
from bemtevi.store.customers import ledger
from bemtevi.store.models import CustomerRecord, DayCounterRecord
from bemtevi.web import page
from functions.common.auth import StoreIdentity
from functions.loyalty.sales import record_sale
from tests.integration import dashboard_people as people
from tests.integration import test_dashboard_stores as stores_page
from tests.integration.test_dashboard_sign_in import form_page, post
from tests.integration.test_dashboard_stores import TENANT, details, signed_in

http = stores_page.http
CPF = "529.982.247-25"
STORE_A, STORE_B = people.STORE_A[0], people.STORE_B[0]
NOW = datetime.now(UTC)


def customer_of(tenant: str, store_id: str, key_id: str) -> str:
    """A customer with 100 points bought yesterday at `store_id` of `tenant`."""
    payload = {
        "sale_id": f"v-{tenant}",
        "occurred_at": (NOW - timedelta(days=1)).isoformat(),
        "total": 10000,
        "customer": {"cpf": CPF},
    }
    answer = record_sale(StoreIdentity(tenant, store_id, key_id), payload)
    assert answer.body["points_earned"] == 100
    return answer.body["customer_id"]


@pytest.fixture
def customer(http) -> str:
    key_id = next(s.key_id for s in network.list_stores(TENANT) if s.store_id == STORE_A)
    return customer_of(TENANT, STORE_A, key_id)


def path(customer_id: str) -> str:
    return f"/painel/clientes/{customer_id}/ajuste"


def fields(token: str, **changes: str) -> dict:
    return {
        "csrf": token,
        "adjustment_id": "form-0001-abcdef",
        "points": "50",
        "reason": "brinde de aniversário",
        "store_id": STORE_B,
        **changes,
    }


def balance(customer_id: str, tenant: str = TENANT) -> int:
    keys = CustomerRecord.keys(tenant, customer_id)
    return int(CustomerRecord.get(*keys, consistent_read=True).balance)


def adjusted(customer_id: str) -> list[tuple[int, str, str]]:
    return [
        (int(entry.points), entry.store_id, entry.reason)
        for entry in ledger(TENANT, customer_id)
        if entry.entry_kind == "adjusted"
    ]


def counted(store_id: str) -> int:
    day = NOW.astimezone(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    try:
        item = DayCounterRecord.get(*DayCounterRecord.keys(TENANT, store_id, day))
    except DayCounterRecord.DoesNotExist:
        return 0
    return int(item.points_adjusted)


def text_of(response) -> str:
    return html.unescape(response.body.decode()).replace("\xa0", " ")


def test_plus_fifty_then_minus_twenty_from_the_form(http, customer):
    token, jar = signed_in(http)
    answer = post(http, path(customer), jar, fields(token))
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/painel/clientes/{customer}?ajuste=ok"
    minus = fields(token, adjustment_id="form-0002-abcdef", points="-20", store_id=STORE_A)
    assert post(http, path(customer), jar, {**minus, "reason": "venda em dobro"}).status_code == 303
    assert balance(customer) == 130
    assert sorted(adjusted(customer)) == [
        (-20, STORE_A, "venda em dobro"),
        (50, STORE_B, "brinde de aniversário"),
    ]
    assert (counted(STORE_A), counted(STORE_B)) == (-20, 50)
    logged = details()
    assert logged[:2] == [
        f"Ajuste de pontos: cliente {customer}, -20 pontos, loja {STORE_A}, motivo: venda em dobro",
        f"Ajuste de pontos: cliente {customer}, +50 pontos, loja {STORE_B}, "
        "motivo: brinde de aniversário",
    ]
    assert not any("529" in entry for entry in logged)


def test_the_same_form_submitted_twice_adjusts_once(http, customer):
    token, jar = signed_in(http)
    first = post(http, path(customer), jar, fields(token))
    again = post(http, path(customer), jar, fields(token))
    assert (first.status_code, again.status_code) == (303, 303)
    assert balance(customer) == 150
    assert len(adjusted(customer)) == 1
    assert counted(STORE_B) == 50
    assert len(details()) == 1


def test_a_form_id_reused_with_other_values_is_refused_not_reported_done(http, customer):
    """A resubmitted stale form with changed values must not be answered 'done'."""
    token, jar = signed_in(http)
    post(http, path(customer), jar, fields(token))
    changed = post(http, path(customer), jar, fields(token, points="70"))
    assert changed.status_code == 409
    assert "Este ajuste já foi registrado com outros valores" in text_of(changed)
    assert balance(customer) == 150
    assert len(adjusted(customer)) == 1
    assert len(details()) == 1


def test_a_form_without_its_adjustment_id_is_refused(http, customer):
    token, jar = signed_in(http)
    answer = post(http, path(customer), jar, fields(token, adjustment_id=""))
    assert answer.status_code == 400
    assert "Identificador do ajuste inválido" in text_of(answer)
    assert balance(customer) == 100
    assert adjusted(customer) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"points": "-101"}, "ajuste-pontos", "O cliente tem só 100 pontos."),
        ({"points": "0"}, "ajuste-pontos", "Um ajuste de 0 pontos não muda nada."),
        (
            {"points": "dez"},
            "ajuste-pontos",
            "Informe os pontos do ajuste como um número inteiro, ex.: 50 ou -20.",
        ),
        ({"reason": " a "}, "ajuste-motivo", "Escreva o motivo do ajuste (de 3 a 200 caracteres)."),
        ({"store_id": "loja-g"}, "ajuste-loja", "Loja não encontrada nesta rede."),
    ],
    ids=["beyond-balance", "zero", "text", "reason", "other-tenants-store"],
)
def test_a_refused_value_is_shown_by_its_field_and_writes_nothing(
    http, customer, changes, field, message
):
    token, jar = signed_in(http)
    form = fields(token, **changes)
    answer = post(http, path(customer), jar, form)
    text = text_of(answer)
    assert answer.status_code == 400
    assert f'id="{field}-erro">{message}</span>' in text
    assert f'value="{form["adjustment_id"]}"' in text  # the same form, to submit again
    assert f'name="points" value="{form["points"]}"' in text
    assert f">{form['reason']}</textarea>" in text
    assert balance(customer) == 100
    assert adjusted(customer) == []
    assert details() == []


def test_without_the_csrf_token_nothing_is_written(http, customer):
    _, jar = signed_in(http)
    answer = post(http, path(customer), jar, fields(""))
    assert answer.status_code == 403
    assert "O formulário expirou ou veio de outro site" in text_of(answer)
    assert (balance(customer), adjusted(customer), details()) == (100, [], [])


def test_a_store_manager_is_refused_and_nothing_is_written(http, customer):
    token, jar = form_page(http, "/painel/sair", people.sign_in("loja").cookie())
    answer = post(http, path(customer), jar, fields(token))
    assert answer.status_code == 403
    assert (balance(customer), adjusted(customer), details()) == (100, [], [])


def test_another_tenants_customer_is_not_found(http):
    other = people.TENANT_B
    key_id = network.list_stores(other)[0].key_id
    theirs = customer_of(other, people.OTHER_STORE[0], key_id)
    token, jar = signed_in(http)
    answer = post(http, path(theirs), jar, fields(token, store_id=STORE_A))
    assert answer.status_code == 404
    assert "Cliente não encontrado nesta rede." in text_of(answer)
    assert balance(theirs, other) == 100
    assert details() == []


def test_the_form_a_customer_page_includes_posts_what_the_handler_reads():
    """The fragment as the customer page renders it: its fields are the ones the
    handler reads, with a fresh adjustment id each time."""
    stores_ = [(STORE_A, "Loja Alfa"), (STORE_B, "Loja Beta")]
    first, second = (
        page("painel/ajuste.html", customer_id="c1", csrf_token="t" * 40, stores=stores_)
        for _ in range(2)
    )
    names = set(re.findall(r'name="([^"]+)"', first))
    assert names == {"csrf", "adjustment_id", "points", "reason", "store_id"}
    assert 'action="/painel/clientes/c1/ajuste"' in first
    assert f'value="{"t" * 40}"' in first
    assert "Registrar ajuste" in first
    ids = [re.search(r'name="adjustment_id" value="([^"]+)"', body)[1] for body in (first, second)]
    assert ids[0] != ids[1]
    assert all(len(value) >= 16 for value in ids)
