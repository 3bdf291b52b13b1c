"""/painel/beneficios and /painel/catalogo: a network admin creates, changes, activates
and deactivates benefits through the functions `bemtevi benefit ...` calls (a value the
CLI refuses is refused with its message and nothing is written), sees what each benefit
gave last month (net of cancellations), and searches the catalogue by name or SKU; the
till honours a change made here on its very next balance and redemption."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.months import first_day, month_of, previous_month
from bemtevi.errors import BemteviError
from bemtevi.store.call_count import counting_dynamodb_calls
from bemtevi.store.models import DayCounterRecord
from cli.main import main
from functions.common.auth import StoreIdentity
from functions.loyalty.redemptions import cancel_redemption, redeem_benefit
from functions.loyalty.sales import record_sale
from functions.network import benefit_rules, products, stores
from tests.integration import dashboard_people as people
from tests.integration import test_dashboard_stores as stores_page
from tests.integration.conftest import Pos
from tests.integration.test_dashboard_program import text_of
from tests.integration.test_dashboard_sign_in import form_page, post
from tests.integration.test_dashboard_stores import TENANT, details

http = stores_page.http

PATH = "/painel/beneficios"
ZONE = ZoneInfo("America/Sao_Paulo")
CPF = "52998224725"
GOOD = {
    "id": "dez",
    "description": "R$ 10 de desconto",
    "points": "100",
    "discount": "10,00",
    "minimum_purchase": "50,00",
    "starts_on": "",
    "ends_on": "",
}


def signed_in(http, who: str = "rede") -> tuple[str, str]:
    return form_page(http, PATH if who == "rede" else "/painel/sair", people.sign_in(who).cookie())


def catalogue() -> None:
    products.add_product(
        TENANT, {"sku": "MAMA-1", "name": "Mamadeira Pólo", "price": 5000, "cost": 2100}
    )
    products.add_product(TENANT, {"sku": "body-2", "name": "Body Ávila", "price": 3990})
    products.add_product(
        people.TENANT_B, {"sku": "OUTRO", "name": "Outro", "price": 100, "cost": 50}
    )


def rules() -> list[dict]:
    return benefit_rules.list_benefits(TENANT) + benefit_rules.list_benefits(people.TENANT_B)


def cli_message(capsys, *argv: str) -> str:
    assert main(["benefit", *argv, "--tenant", TENANT]) == 1
    return capsys.readouterr().err.removeprefix("Erro: ").removesuffix("\n")


def test_the_form_creates_what_the_cli_creates(http, capsys):
    token, jar = signed_in(http)
    form = {**GOOD, "store.loja-b": "1", "starts_on": "2026-01-01", "ends_on": "2030-12-31"}
    answer = post(http, PATH, jar, {"csrf": token, **form})
    assert (answer.status_code, answer.headers["Location"]) == (303, f"{PATH}?aviso=criado")
    here = benefit_rules.list_benefits(TENANT)
    cli = "--id dez --description x --points 100 --discount 10,00 --minimum-purchase 50,00"
    cli += " --store loja-b --starts 2026-01-01 --ends 2030-12-31"
    assert main(["benefit", "add", "--tenant", TENANT, *cli.split()]) == 0
    capsys.readouterr()
    by_cli = benefit_rules.list_benefits(TENANT)
    assert here == [{**by_cli[0], "description": "R$ 10 de desconto"}]
    assert (here[0]["value"], here[0]["minimum_purchase"]) == (1000, 5000)
    assert here[0]["stores"] == ["loja-b"]
    assert details()[0] == "Benefício dez salvo"
    text = text_of(http.get(f"{PATH}?aviso=criado", headers={"cookie": jar}))
    assert "Benefício salvo: vale no caixa a partir da próxima consulta." in text
    assert "01/01/2026 a 31/12/2030" in text
    assert "chegam aos caixas em até 60 segundos" in text


def test_a_product_benefit_is_worth_the_products_cost(http):
    catalogue()
    token, jar = signed_in(http)
    form = {**GOOD, "id": "mama", "discount": "", "sku": "MAMA-1", "minimum_purchase": ""}
    assert post(http, PATH, jar, {"csrf": token, **form}).status_code == 303
    (made,) = benefit_rules.list_benefits(TENANT)
    assert (made["kind"], made["sku"], made["value"]) == ("product", "MAMA-1", 2100)
    text = text_of(http.get(PATH, headers={"cookie": jar}))
    assert '<td>R$ 21,00</td><td class="t"><span class="etiqueta">ativo</span></td>' in text
    assert '<td class="t">Produto MAMA-1</td>' in text


@pytest.mark.parametrize(
    ("changes", "field", "cli"),
    [
        ({"points": "0"}, "pontos", "--points 0 --discount 10,00"),
        ({"discount": "dez"}, "desconto", "--points 100 --discount dez"),
        ({"discount": "0"}, "desconto", "--points 100 --discount 0"),
        ({"minimum_purchase": "-5"}, "minimo", "--points 100 --discount 1 --minimum-purchase=-5"),
        ({"id": "Dez!"}, "id", "--points 100 --discount 1 --id=Dez!"),
        ({"discount": "", "sku": "body-2"}, "sku", "--points 100 --product body-2"),
        (
            {"starts_on": "2026-02-01", "ends_on": "2026-01-01"},
            "fim",
            "--points 100 --discount 1 --starts 2026-02-01 --ends 2026-01-01",
        ),
    ],
    ids=["points", "money", "zero", "minimum", "id", "no-cost", "period"],
)
def test_a_refused_value_shows_the_clis_message_and_writes_nothing(
    http, capsys, changes, field, cli
):
    catalogue()
    argv = ["add", "--description", "x", *cli.split()]
    message = cli_message(capsys, *argv, *([] if "--id" in cli else ["--id", "dez"]))
    token, jar = signed_in(http)
    before, logged = rules(), details()
    answer = post(http, PATH, jar, {"csrf": token, **GOOD, **changes})
    text = text_of(answer)
    assert answer.status_code == 400
    assert f'id="novo-{field}-erro">{message}' in text
    assert f'value="{GOOD["description"]}"' in text  # the form re-filled
    assert rules() == before
    assert details() == logged


def test_a_product_without_cost_is_refused_with_a_clear_message():
    catalogue()
    with pytest.raises(BemteviError) as refused:
        benefit_rules.add_benefit(TENANT, "body", "Body", 100, sku="body-2")
    assert refused.value.message.startswith("O produto body-2 não tem custo no catálogo")
    assert benefit_rules.list_benefits(TENANT) == []


def test_changing_activating_and_deactivating_do_what_the_cli_does(http, capsys):
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 100, discount=1000)
    token, jar = signed_in(http)
    change = {"csrf": token, "beneficio": "dez", "points": "80", "starts_on": "2026-01-01"}
    assert post(http, f"{PATH}/alterar", jar, {**change, "ends_on": ""}).status_code == 303
    here = benefit_rules.list_benefits(TENANT)
    argv = ["change", "--tenant", TENANT, "--id", "dez", "--points", "80"]
    assert main(["benefit", *argv, "--starts", "2026-01-01"]) == 0
    assert benefit_rules.list_benefits(TENANT) == here
    assert (here[0]["points"], here[0]["starts_on"], here[0]["ends_on"]) == (80, "2026-01-01", None)

    off = post(http, f"{PATH}/ativo", jar, {"csrf": token, "beneficio": "dez", "ativo": "nao"})
    assert off.headers["Location"] == f"{PATH}?aviso=desativado"
    assert benefit_rules.list_benefits(TENANT)[0]["active"] is False
    assert main(["benefit", "enable", "--tenant", TENANT, "--id", "dez"]) == 0
    assert benefit_rules.list_benefits(TENANT)[0]["active"] is True
    assert main(["benefit", "disable", "--tenant", TENANT, "--id", "dez"]) == 0
    on = post(http, f"{PATH}/ativo", jar, {"csrf": token, "beneficio": "dez", "ativo": "sim"})
    assert on.headers["Location"] == f"{PATH}?aviso=ativado"
    assert benefit_rules.list_benefits(TENANT)[0]["active"] is True
    capsys.readouterr()
    assert details()[:3] == [
        "Benefício dez ativado",
        "Benefício dez desativado",
        "Benefício dez alterado (pontos e período)",
    ]

    refused = post(http, f"{PATH}/alterar", jar, {**change, "points": "-1"})
    assert refused.status_code == 400
    message = cli_message(capsys, "change", "--id", "dez", "--points", "-1")
    assert f'id="pontos-dez-erro">{message}' in text_of(refused)
    assert benefit_rules.list_benefits(TENANT) == here


def test_refused_visitors_write_nothing(http):
    benefit_rules.add_benefit(people.TENANT_B, "dez", "R$ 10", 100, discount=1000)
    token, jar = signed_in(http)
    manager_token, manager_jar = signed_in(http, "loja")
    before, logged = rules(), details()
    switch = {"beneficio": "dez", "ativo": "nao"}
    answers = [
        post(http, PATH, jar, GOOD),
        post(http, PATH, jar, {**GOOD, "csrf": token}, origin="https://outro.site"),
        post(http, PATH, manager_jar, {**GOOD, "csrf": manager_token}),
        post(http, f"{PATH}/ativo", manager_jar, {**switch, "csrf": manager_token}),
        post(http, f"{PATH}/ativo", jar, {**switch, "csrf": token}),
        post(http, f"{PATH}/alterar", jar, {**switch, "points": "5", "csrf": token}),
        post(http, PATH, jar, {**GOOD, "discount": "", "sku": "OUTRO", "csrf": token}),
    ]
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403, 404, 404, 404]
    assert rules() == before
    assert details() == logged
    pages = [http.get(p, headers={"cookie": manager_jar}) for p in (PATH, "/painel/catalogo")]
    assert [page.status_code for page in pages] == [403, 403]


def test_last_months_figures_per_benefit_count_a_redemption_and_its_cancellation(http):
    """Last month: 3 redemptions of "dez" (R$ 10,00 each) at two stores, one cancelled
    the next day; 1 of "mama" (cost R$ 21,00). This month's redemption is not counted.
    dez: 3 - 1 = 2 redemptions, R$ 20,00; mama: 1, R$ 21,00."""
    catalogue()
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 50, discount=1000)
    benefit_rules.add_benefit(TENANT, "mama", "Mamadeira", 80, sku="MAMA-1")
    alfa, beta = (StoreIdentity(TENANT, s, "k") for s in ("loja-a", "loja-b"))
    now = datetime.now(UTC)
    last = first_day(previous_month(month_of(now.astimezone(ZONE).date())))
    at = datetime(last.year, last.month, 10, 15, tzinfo=ZONE)
    sold = {"sale_id": "v-1", "occurred_at": at.isoformat(), "total": 100_000}
    record_sale(alfa, {**sold, "customer": {"cpf": CPF}}, now=at)
    for n, (store, benefit, when) in enumerate(
        [
            (alfa, "dez", at),
            (beta, "dez", at),
            (beta, "dez", at),
            (alfa, "mama", at),
            (alfa, "dez", now),
        ]
    ):
        redeem_benefit(store, _redemption(f"r-{n}", benefit, when), now=when)
    cancel_redemption(beta, "r-2", now=at + timedelta(days=1))
    counter = DayCounterRecord.get(*DayCounterRecord.keys(TENANT, "loja-b", at.date().isoformat()))
    assert int(counter.redemptions) == 2  # the store-day's own counts are as before

    text = text_of(http.get(PATH, headers={"cookie": people.sign_in("rede").cookie()}))
    dez, mama = (text.split(f"({b})</span>")[1].split("</tr>")[0] for b in ("dez", "mama"))
    assert dez.endswith("<td>2</td><td>R$ 20,00</td>")
    assert mama.endswith("<td>1</td><td>R$ 21,00</td>")


def _redemption(redemption_id: str, benefit: str, when: datetime) -> dict:
    return {
        "redemption_id": redemption_id,
        "customer": {"cpf": CPF},
        "benefit_id": benefit,
        "purchase_total": 6000,
        "occurred_at": when.isoformat(),
    }


def test_a_benefit_changed_here_counts_at_the_next_balance_and_redemption(http, monkeypatch):
    """The till's Lambda (this process) keeps the tenant's configuration warm: the
    dashboard runs in another Lambda, whose forgetting of its own copy does not reach
    this one (hence the no-op). Balance and redemption still honour every change at once:
    they read the rules with the customer, in their one TransactGet."""
    monkeypatch.setattr(benefit_rules, "forget_tenant", lambda _: None)
    pos = Pos(http, stores.add_store(TENANT, "loja-c", "Loja Cê"))
    pos.post(
        "/v1/sales",
        {
            "sale_id": "v-1",
            "occurred_at": datetime.now(UTC).isoformat(),
            "total": 30_000,
            "customer": {"cpf": CPF},
        },
    )
    assert _offers(pos) == {}
    token, jar = signed_in(http)
    post(http, PATH, jar, {"csrf": token, **GOOD, "minimum_purchase": ""})
    assert _offers(pos) == {"dez": (100, None)}
    post(http, f"{PATH}/alterar", jar, {"csrf": token, "beneficio": "dez", "points": "400"})
    assert _offers(pos) == {"dez": (400, "insufficient_points")}
    post(http, f"{PATH}/alterar", jar, {"csrf": token, "beneficio": "dez", "points": "250"})
    now = datetime.now(UTC)
    answer = pos.post("/v1/redemptions", _redemption("r-1", "dez", now))
    assert (answer.status_code, answer.json_body["points_used"]) == (201, 250)
    post(http, f"{PATH}/ativo", jar, {"csrf": token, "beneficio": "dez", "ativo": "nao"})
    assert _offers(pos) == {}
    refused = pos.post("/v1/redemptions", _redemption("r-2", "dez", now))
    assert (refused.status_code, refused.json_body["error"]["code"]) == (422, "benefit_inactive")


def _offers(pos: Pos) -> dict:
    with counting_dynamodb_calls() as calls:
        answer = pos.post("/v1/balance", {"cpf": CPF}).json_body
    assert calls == {"TransactGetItems": 1}  # warm: the tenant's configuration is cached
    return {b["id"]: (b["points"], b["reason_code"]) for b in answer["benefits"]}


def test_the_catalogue_searches_by_name_or_sku_prefix_and_flags_a_benefit_without_cost(http):
    catalogue()
    benefit_rules.add_benefit(TENANT, "mama", "Mamadeira grátis", 80, sku="MAMA-1")
    products.add_product(TENANT, {"sku": "MAMA-1", "name": "Mamadeira Pólo", "price": 5000})
    cookie = {"cookie": people.sign_in("rede").cookie()}

    def found(query: str) -> list[str]:
        page = http.get(f"/painel/catalogo?{query}", headers=cookie)
        assert page.status_code == 200
        return [row.split("</td>")[0] for row in text_of(page).split('<td class="t">')[1::3]]

    assert found("") == ["body-2", "MAMA-1"]
    assert found("por=nome&q=MAMADEIRA%20po") == ["MAMA-1"]
    assert found("por=nome&q=%C3%A1vi") == []
    assert found("por=nome&q=body%20AVILA") == ["body-2"]
    assert found("por=sku&q=mama") == ["MAMA-1"]
    assert found("por=sku&q=BODY") == ["body-2"]
    assert found("por=sku&q=OUTRO") == []
    text = text_of(http.get("/painel/catalogo", headers=cookie))
    assert "sem custo: o benefício Mamadeira grátis usa este produto" in text
    assert "R$ 39,90" in text


def test_the_catalogue_is_paginated(http):
    for n in range(30):
        products.add_product(TENANT, {"sku": f"P{n:02d}", "name": f"Produto {n:02d}", "price": 100})
    cookie = {"cookie": people.sign_in("rede").cookie()}
    first = text_of(http.get("/painel/catalogo?por=sku&q=p", headers=cookie))
    assert ("P00" in first, "P24" in first, "P25" in first) == (True, True, False)
    after = first.split("depois=")[1].split('"')[0]
    second = text_of(http.get(f"/painel/catalogo?por=sku&q=p&depois={after}", headers=cookie))
    assert ("P25" in second, "P29" in second, "P24" in second) == (True, True, False)
    assert "Próxima página" not in second
    forged = http.get("/painel/catalogo?depois=bm90IGEgY3Vyc29y", headers=cookie)
    assert forged.status_code == 200
