"""/painel/clientes: find a customer by CPF or phone as the till validates them (a POSTed
form, so the CPF is in no URL), audited without the CPF; the customer's page, masked for a
store manager and whole for the network admin, its ledger 20 lines a page; a store
manager opens only customers who bought at their stores, and nobody opens another
tenant's customer."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client

from app import app
from bemtevi.domain.customers import INVALID_CPF, INVALID_PHONE, normalized_cpf
from bemtevi.domain.ledger import Entry, EntryKind
from bemtevi.store import audit as audit_log
from bemtevi.store import customers
from bemtevi.store.call_count import counting_dynamodb_calls
from bemtevi.store.models import ReplyRecord
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.loyalty.sales import record_sale
from tests.integration import dashboard_people as people
from tests.integration.dashboard import tables
from tests.integration.test_dashboard_sign_in import form_page, post
from tests.integration.test_dashboard_stores import sealing_key_of_the_clients_stage

TENANT = people.TENANT_A
MARIA = {
    "cpf": "529.982.247-25",
    "phone": "(11) 98765-4321",
    "name": "Maria da Silva Souza",
    "email": "maria.silva@gmail.com",
    "birthday": "1990-03-12",
}
JOAO_CPF = "111.444.777-35"  # bought at loja-b only
NOW = datetime.now(UTC).replace(microsecond=0)


def sale(tenant: str, store: str, sale_id: str, customer: dict, total: int = 10_000) -> dict:
    payload = {"sale_id": sale_id, "occurred_at": NOW.isoformat(), "total": total}
    return record_sale(StoreIdentity(tenant, store, ""), payload | {"customer": customer}, NOW).body


@pytest.fixture
def http(aws):
    people.create_network()
    sale(TENANT, "loja-a", "v-1", MARIA)
    sale(TENANT, "loja-b", "v-2", {"cpf": JOAO_CPF})
    sale(people.TENANT_B, people.OTHER_STORE[0], "v-9", {"cpf": MARIA["cpf"]})
    with Client(app) as client:
        sealing_key_of_the_clients_stage()
        yield client.http


def customer_id(tenant: str, cpf: str) -> str:
    """The id the till's sale gave the customer with this CPF."""
    digits = normalized_cpf(cpf, "cpf")
    identity = customers.identity_for(tenancy.tenant(tenant).pepper, digits, None)
    found = customers.find(tenant, identity).customer
    assert found is not None
    return found.customer_id


def search(http, fields: dict, who: str = "rede", csrf: bool = True):
    token, jar = form_page(http, "/painel/clientes", people.sign_in(who).cookie())
    return post(http, "/painel/clientes", jar, {**fields, **({"csrf": token} if csrf else {})})


def page_of(http, path: str, who: str = "rede"):
    return http.get(path, headers={"cookie": people.sign_in(who).cookie()})


def profile(body: bytes) -> dict[str, str]:
    text = body.decode()
    block = re.search(r'data-testid="perfil">(.*?)</dl>', text, re.S)
    assert block, "the page has no profile"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1))
    return {label: html.unescape(value) for label, value in pairs}


def lookups() -> list[str]:
    entries, _ = audit_log.latest(TENANT, 50)
    return [entry.detail for entry in entries if entry.action == "lookup"]


@pytest.mark.parametrize(
    "fields",
    [{"cpf": "529.982.247-25"}, {"cpf": "52998224725"}, {"phone": "+55 11 98765-4321"}],
    ids=["cpf-formatted", "cpf-digits", "phone"],
)
def test_finding_by_cpf_or_phone_goes_to_the_customers_page(http, fields):
    maria = customer_id(TENANT, MARIA["cpf"])
    found = search(http, fields)
    assert found.status_code == 303
    assert found.headers["Location"] == f"/painel/clientes/{maria}"
    shown = page_of(http, found.headers["Location"])
    assert shown.status_code == 200
    assert profile(shown.body)["Nome"] == "Maria da Silva Souza"


def test_nobody_with_that_cpf_is_a_portuguese_message_with_the_form(http):
    answer = search(http, {"cpf": "390.533.447-05"})
    text = html.unescape(answer.body.decode())
    assert answer.status_code == 404
    assert "Nenhum cliente encontrado com este CPF ou celular." in text
    assert 'value="390.533.447-05"' in text
    assert lookups() == ["Busca por CPF: nenhum cliente encontrado"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cpf": "529.982.247-26"}, "busca-cpf", INVALID_CPF),
        ({"phone": "1234"}, "busca-celular", INVALID_PHONE),
    ],
)
def test_a_bad_cpf_or_phone_gets_the_tills_message_by_its_field(http, fields, field, message):
    answer = search(http, fields)
    text = html.unescape(answer.body.decode())
    assert answer.status_code == 400
    assert f'id="{field}-erro">{message}' in text
    assert lookups() == []


def test_neither_or_both_fields_is_refused(http):
    assert search(http, {}).status_code == 400
    both = search(http, {"cpf": MARIA["cpf"], "phone": MARIA["phone"]})
    assert both.status_code == 400
    assert "Informe o CPF ou o celular do cliente (um dos dois)." in html.unescape(
        both.body.decode()
    )


def test_a_search_without_its_csrf_token_is_refused_and_not_audited(http):
    answer = search(http, {"cpf": MARIA["cpf"]}, csrf=False)
    assert answer.status_code == 403
    assert "Location" not in answer.headers
    assert lookups() == []


def test_a_lookup_is_audited_without_the_cpf_or_phone(http):
    maria = customer_id(TENANT, MARIA["cpf"])
    search(http, {"cpf": MARIA["cpf"]})
    search(http, {"phone": MARIA["phone"]}, who="loja")
    assert lookups() == [f"Busca por celular: cliente {maria}", f"Busca por CPF: cliente {maria}"]
    entries, _ = audit_log.latest(TENANT, 50)
    logged = repr([vars(entry) for entry in entries])
    for secret in ("52998224725", "529.982.247-25", "98765-4321", "987654321", "maria.silva"):
        assert secret not in logged


def test_a_store_manager_sees_the_profile_masked_and_the_network_admin_whole(http):
    path = f"/painel/clientes/{customer_id(TENANT, MARIA['cpf'])}"
    masked = profile(page_of(http, path, "loja").body)
    whole = profile(page_of(http, path, "rede").body)
    assert {key: masked[key] for key in ("Nome", "CPF", "Celular", "E-mail", "Aniversário")} == {
        "Nome": "Maria S. S.",
        "CPF": "***.982.247-**",
        "Celular": "(11) *****-4321",
        "E-mail": "m***@gmail.com",
        "Aniversário": "12/03",
    }
    assert {key: whole[key] for key in ("Nome", "CPF", "Celular", "E-mail", "Aniversário")} == {
        "Nome": "Maria da Silva Souza",
        "CPF": "529.982.247-25",
        "Celular": "(11) 98765-4321",
        "E-mail": "maria.silva@gmail.com",
        "Aniversário": "12/03/1990",
    }
    body = page_of(http, path, "loja").body.decode()
    assert "52998224725" not in body
    assert "maria.silva" not in body


def test_a_store_manager_cannot_open_nor_find_a_customer_of_other_stores(http):
    joao = customer_id(TENANT, JOAO_CPF)
    assert page_of(http, f"/painel/clientes/{joao}", "loja").status_code == 404
    assert page_of(http, f"/painel/clientes/{joao}", "rede").status_code == 200
    found = search(http, {"cpf": JOAO_CPF}, who="loja")
    assert found.status_code == 404
    assert "Nenhum cliente encontrado" in html.unescape(found.body.decode())


def test_the_sale_records_the_stores_a_customer_bought_at(http):
    sale(TENANT, "loja-a", "v-3", {"cpf": JOAO_CPF})
    joao = customer_id(TENANT, JOAO_CPF)
    stored = customers.find_by_id(TENANT, joao)
    assert stored is not None
    assert stored.purchase_stores == {"loja-a", "loja-b"}
    assert page_of(http, f"/painel/clientes/{joao}", "loja").status_code == 200


def test_another_tenants_customer_is_not_found(http):
    theirs = customer_id(people.TENANT_B, MARIA["cpf"])
    ours = customer_id(TENANT, MARIA["cpf"])
    assert theirs != ours
    assert page_of(http, f"/painel/clientes/{theirs}", "rede").status_code == 404
    assert page_of(http, f"/painel/clientes/{ours}", "outra_rede").status_code == 404
    assert page_of(http, "/painel/clientes/nao-e-um-id", "rede").status_code == 404


def add_entries(customer: str, count: int) -> None:
    """`count` adjustments before the sale, one a minute back: +1, +2, ..."""
    for n in range(1, count + 1):
        entry = Entry(f"e-{n}", EntryKind.ADJUSTED, NOW - timedelta(minutes=n), n, "loja-a")
        customers.ledger_record(TENANT, customer, entry).save()


def test_the_ledger_is_paged_newest_first_twenty_a_page(http):
    maria = customer_id(TENANT, MARIA["cpf"])
    add_entries(maria, 24)  # with the sale's entry: 25
    first = page_of(http, f"/painel/clientes/{maria}")
    rows = tables(first.body.decode())["extrato"][1:]
    assert len(rows) == 20
    assert [row[2] for row in rows] == ["+100", *[f"+{n}" for n in range(1, 20)]]
    assert rows[0][1] == "Pontos ganhosvenda v-1"  # the kind, the sale under it
    assert rows[1][1] == "Ajuste"
    following = re.search(r'href="(/painel/clientes/[^"?]+\?pagina=[^"]+)"', first.body.decode())
    assert following, "no link to the next page"
    second = page_of(http, html.unescape(following.group(1)))
    rest = tables(second.body.decode())["extrato"][1:]
    assert [row[2] for row in rest] == [f"+{n}" for n in range(20, 25)]
    assert "?pagina=" not in second.body.decode()


def test_a_page_parameter_that_is_not_ours_is_refused(http):
    maria = customer_id(TENANT, MARIA["cpf"])
    assert page_of(http, f"/painel/clientes/{maria}?pagina=bm9wZQ").status_code == 400


def test_the_page_shows_points_lots_replies_channels_and_the_adjustment_place(http):
    maria = customer_id(TENANT, MARIA["cpf"])
    ReplyRecord(
        *ReplyRecord.keys(f"T#{TENANT}#C#{maria}", "r-1"),
        tenant_id=TENANT,
        customer_id=maria,
        text="Obrigada!",
        received_at=NOW,
    ).save()
    admin = page_of(http, f"/painel/clientes/{maria}?ajuste=ok").body.decode()
    found = tables(admin)
    assert found["lotes"][1][0] == "Loja Alfa"
    assert found["respostas"][1][1:] == ["Obrigada!", "não"]
    assert "Ajuste registrado" in admin
    assert 'aria-labelledby="ajuste-titulo"' in admin
    assert "SMS: Recebe" in admin
    manager = page_of(http, f"/painel/clientes/{maria}", "loja").body.decode()
    assert "ajuste-titulo" not in manager
    assert "Ajuste registrado" not in manager


def test_the_customer_page_costs_a_few_dynamodb_calls(http):
    path = f"/painel/clientes/{customer_id(TENANT, MARIA['cpf'])}"
    cookie = people.sign_in("rede").cookie()
    with counting_dynamodb_calls() as calls:
        assert http.get(path, headers={"cookie": cookie}).status_code == 200
    assert "Scan" not in calls
    assert sum(calls.values()) == 5, calls


def test_the_adjustment_form_gets_the_customer_the_csrf_token_and_the_stores(http, monkeypatch):
    """The other form's template (painel/ajuste.html) is included with these variables."""
    from jinja2 import ChoiceLoader, DictLoader

    from bemtevi import web

    environment = web._environment()
    form = (
        '<p id="ajuste-teste">{{ customer_id }}|{{ csrf_token }}|'
        "{% for id, name in stores %}{{ id }}={{ name }};{% endfor %}</p>"
    )
    loader = ChoiceLoader([DictLoader({"painel/ajuste.html": form}), environment.loader])
    monkeypatch.setattr(environment, "loader", loader)
    maria = customer_id(TENANT, MARIA["cpf"])
    token, jar = form_page(http, "/painel/clientes", people.sign_in("rede").cookie())
    body = http.get(f"/painel/clientes/{maria}", headers={"cookie": jar}).body.decode()
    assert f'<p id="ajuste-teste">{maria}|{token}|loja-a=Loja Alfa;loja-b=Loja Beta;</p>' in body


def test_an_adjustment_shows_as_ajuste_with_its_reason():
    from bemtevi.domain.dashboard import Network
    from functions.dashboard.customer_view import CustomerView

    adjusted = Entry("a-1", EntryKind.ADJUSTED, NOW, -30, "loja-a", reason="Troca com defeito")
    earned = Entry("e-1", EntryKind.EARNED, NOW, 30, "loja-a")
    view = CustomerView(Network("Rede A", "America/Sao_Paulo", {"loja-a": "Loja Alfa"}), False, NOW)
    shown = [
        view.entry(customers.ledger_line(customers.ledger_record(TENANT, "c1", entry)))
        for entry in (adjusted, earned)
    ]
    assert [(line["tipo"], line["pontos"], line["loja"]) for line in shown] == [
        ("Ajuste", "-30", "Loja Alfa"),
        ("Pontos ganhos", "+30", "Loja Alfa"),
    ]
    assert shown[0]["detalhe"] == "Troca com defeito"
    assert shown[1]["detalhe"] != "Troca com defeito"
