"""The dashboard's figure pages on a scripted network (tests/integration/dashboard.py),
their figures computed by hand; scope (403, 404), bad parameters (400); and their cost:
snapshots and counters only, never a customer or a sale."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from bemtevi import aws
from bemtevi.domain.months import next_month
from bemtevi.store import messages
from bemtevi.store.call_count import counting_items_read
from bemtevi.store.models import MessageRecord, MonthCounterRecord
from functions.dashboard.compare import compare
from functions.dashboard.compensation import compensation, compensation_csv
from functions.dashboard.home import home
from functions.dashboard.messages import messages as messages_page
from functions.reporting import rollup, settlement
from tests.integration.dashboard import (
    ADMIN,
    CENTRO,
    NAMES,
    TENANT,
    ZONE,
    months,
    rows_by_label,
    seed_network,
    seed_this_month,
    tables,
)


@pytest.fixture
def network(aws):
    seed_network()
    seed_this_month()


def test_the_month_counter_adds_up_what_the_store_days_add_up(network):
    _, _, current = months()
    rollup.roll_up(TENANT, datetime.now(ZONE).date())
    centro = MonthCounterRecord.get(*MonthCounterRecord.keys(TENANT, "centro", current))
    shopping = MonthCounterRecord.get(*MonthCounterRecord.keys(TENANT, "shopping", current))
    assert (centro.sales, centro.identified_sales, centro.revenue, centro.points_issued) == (
        2,
        1,
        15_000,
        100,
    )
    assert (shopping.sales, shopping.redemptions, shopping.benefit_value) == (1, 1, 1_000)
    assert (shopping.redeeming_purchase_total, shopping.points_redeemed) == (6_000, 50)


def test_inicio_shows_the_network_this_month_and_the_last_closed_one(network):
    page = home(ADMIN, {})
    assert page.status == 200
    found = tables(page.body)
    program = rows_by_label(found["grupo-1"])
    # so far: R$ 10,00 granted at shopping; 2 of 3 sales earned points; customers as the
    # last snapshot photographed them (30 + 12)
    assert program["Clientes com pontos*"] == ["42", "42"]
    assert program["Desconto concedido"] == ["R$ 10,00", "R$ 200,00"]
    assert program["Visitas com troca"] == ["1", "10"]
    assert program["Compras de quem trocou, no dia"] == ["R$ 60,00", "R$ 0,00"]
    assert program["Vendas que pontuaram"] == ["66,7%", "40,0%"]
    sales = rows_by_label(found["grupo-2"])
    assert sales["Vendas"] == ["3", "200"]
    assert sales["Vendas brutas (antes dos descontos)"] == ["R$ 350,00", "R$ 20.600,00"]
    assert sales["Faturamento (menos devoluções)"] == ["R$ 350,00", "R$ 20.000,00"]
    assert sales["Ticket médio"] == ["R$ 116,66", "R$ 100,00"]  # 35000 // 3
    assert sales["Clientes novos"] == ["2", "0"]
    points = rows_by_label(found["grupo-3"])
    assert points["Pontos emitidos"] == ["300", "0"]
    assert points["Pontos trocados"] == ["50", "0"]
    assert points["Passivo dos pontos em aberto*"] == ["R$ 800,00", "R$ 800,00"]


def test_inicio_has_a_trend_chart_per_headline_figure_with_its_numbers(network):
    before, _after, _ = months()
    body = home(ADMIN, {}).body
    assert body.count('role="img"') == 6
    assert body.count("<rect") == 12  # two months of snapshots, six charts
    assert '<title id="tendencia-revenue-t">Faturamento (menos devoluções)</title>' in body
    assert "último R$\xa020.000,00." in body  # the description says it in words
    assert "<li>set/26: R$\xa010.000,00</li>".replace("set/26", _short(before)) in body


def test_the_store_table_sorts_and_links_to_each_store(network):
    by_name = tables(home(ADMIN, {}).body)["lojas"]
    assert [row[0] for row in by_name[1:]] == ["Bairro Alto", "Loja Centro", "Shopping Sul"]
    by_revenue = tables(home(ADMIN, {"ordem": "revenue"}).body)["lojas"]
    assert [row[:3] for row in by_revenue[1:]] == [
        ["Shopping Sul", "1", "R$ 200,00"],
        ["Loja Centro", "2", "R$ 150,00"],
        ["Bairro Alto", "0", "R$ 0,00"],
    ]
    assert 'href="/painel?loja=shopping"' in home(ADMIN, {}).body


def test_a_store_manager_sees_only_their_store(network):
    page = home(CENTRO, {})
    assert page.status == 200
    program = rows_by_label(tables(page.body)["grupo-2"])
    assert program["Vendas"] == ["2", "120"]
    assert program["Faturamento (menos devoluções)"] == ["R$ 150,00", "R$ 12.000,00"]
    assert "lojas" not in tables(page.body)
    for path in (compare, compensation, messages_page):
        body = path(CENTRO, {}).body
        assert "Loja Centro" in body
        assert NAMES["shopping"] not in body
        assert NAMES["bairro"] not in body


def test_a_store_out_of_scope_is_403_and_an_unknown_one_404(network):
    assert home(CENTRO, {"loja": "shopping"}).status == 403
    assert "Você não tem acesso a esta loja." in home(CENTRO, {"loja": "shopping"}).body
    assert home(ADMIN, {"loja": "nenhuma"}).status == 404
    assert home(CENTRO, {"loja": "nenhuma"}).status == 404
    assert "12.000" not in home(CENTRO, {"loja": "shopping"}).body
    assert compensation_csv(CENTRO, {}).status == 403


@pytest.mark.parametrize(
    ("page", "query"),
    [
        (home, {"ordem": "qualquer"}),
        (compare, {"de": "2026-13"}),
        (compare, {"de": "2026-05", "ate": "2026-01..2025-01"}),
        (compensation, {"mes": "maio"}),
        (compensation_csv, {"mes": "2026-5"}),
        (messages_page, {"mes": "x"}),
    ],
)
def test_a_malformed_parameter_is_a_400_page_in_portuguese(network, page, query):
    answer = page(ADMIN, query)
    assert answer.status == 400
    assert "Endereço inválido" in answer.body


def test_comparar_shows_each_change_half_the_discount_twice_the_sales(network):
    before, after, _ = months()
    page = compare(ADMIN, {"de": before, "ate": after})
    rows = rows_by_label(tables(page.body)["comparacao"])
    assert rows["Vendas"][2] == "+100,0%"  # 100 -> 200
    assert rows["Desconto concedido"] == ["R$ 400,00", "R$ 200,00", "-50,0%"]
    assert rows["Visitas com troca"][2] == "-50,0%"  # 20 -> 10
    assert rows["Vendas brutas (antes dos descontos)"] == [
        "R$ 10.300,00",
        "R$ 20.600,00",
        "+100,0%",
    ]
    assert rows["Clientes novos"] == ["0", "0", "—"]  # no base: no change
    assert page.body.count('role="img"') == 7


def test_comparar_for_one_store(network):
    before, after, _ = months()
    rows = rows_by_label(tables(compare(CENTRO, {"de": before, "ate": after}).body)["comparacao"])
    assert rows["Vendas"] == ["60", "120", "+100,0%"]
    assert rows["Vendas que pontuaram"] == ["50,0%", "50,0%", "0,0%"]


def test_compensacao_provisional_then_closed_and_its_csv_is_the_cli_file(network):
    _, _, current = months()
    open_page = compensation(ADMIN, {"mes": current})
    assert ">provisório<" in open_page.body
    lines = tables(open_page.body)
    assert lines["extrato-centro"][1] == ["Shopping Sul", "R$ 10,00", "R$ 0,00", "-R$ 10,00", ""]
    assert "R$\xa010,00 a pagar" in open_page.body
    assert "R$\xa010,00 a receber" in open_page.body
    assert "Baixar CSV" not in open_page.body
    assert compensation_csv(ADMIN, {"mes": current}).status == 409

    settlement.close_month(TENANT, date.fromisoformat(next_month(current) + "-01"))
    closed = compensation(ADMIN, {"mes": current})
    assert ">fechado<" in closed.body
    assert "Baixar CSV da rede" in closed.body
    download = compensation_csv(ADMIN, {"mes": current})
    assert download.status == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="compensacao-{TENANT}-{current}.csv"'
    )
    assert download.body.encode() == settlement.export_csv(TENANT, current).encode()
    assert "centro;shopping;10,00;0,00;-10,00" in download.body


def test_mensagens_by_kind_channel_and_day_with_masked_contacts(network):
    _, _, current = months()
    today = datetime.now(ZONE).date()
    failed = MessageRecord(
        *MessageRecord.keys(TENANT, "c-1", "reminder", current),
        tenant_id=TENANT,
        customer_id="c-1",
        message_kind="reminder",
        period=current,
        status="failed",
        channel="sms",
        store_id="centro",
        contact="(11) *****-4321",
        error="no_channel",
        created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
        log_pk=messages.log_partition(TENANT, today.isoformat(), 3),
        logged_at=datetime.now(UTC).isoformat(),
    )
    failed.save()
    page = messages_page(ADMIN, {"mes": current})
    found = tables(page.body)
    assert rows_by_label(found["por-tipo"]) == {
        "boas-vindas": ["2", "R$ 0,70", "0"],
        "lembrete": ["3", "R$ 0,36", "1"],
        "Total": ["5", "R$ 1,06", "1"],
    }
    assert rows_by_label(found["por-canal"])["SMS"] == ["3", "R$ 0,36", "1"]
    assert [row[1:] for row in found["por-dia"][1:]] == [["5", "R$ 1,06", "1"]]
    assert found["falhas"][1][1:] == [
        "lembrete",
        "SMS",
        "(11) *****-4321",
        "sem canal para o cliente",
    ]
    assert "(11) *****-4321" in found["recentes"][1]
    assert tables(messages_page(CENTRO, {"mes": current}).body)["por-tipo"][-1] == [
        "Total",
        "3",
        "R$ 0,36",
        "1",
    ]


def test_rendering_inicio_reads_no_customer_and_no_sale(network):
    kinds: Counter = Counter()

    def count(parsed, **_):
        for item in _items(parsed):
            kinds[item.get("kind", {}).get("S", "?")] += 1

    client = aws.client("dynamodb")
    client.meta.events.register("after-call.dynamodb", count)
    try:
        with counting_items_read() as items:
            assert home(ADMIN, {}).status == 200
    finally:
        client.meta.events.unregister("after-call.dynamodb", count)
    assert set(kinds) == {"tenant", "store", "metrics", "day"}, kinds
    assert kinds["metrics"] == 2 + 2  # the network's two months, two stores' last month
    # the tenant, its 3 stores, 4 snapshots, today's day counters of the 2 stores that
    # sold (no roll-up yet: the month items are missing, the days are read by key)
    assert sum(items.values()) == sum(kinds.values()) == 1 + 3 + 4 + 2


def _short(month: str) -> str:
    from functions.dashboard.charts import month_label

    return month_label(month)


def _items(parsed: dict) -> list[dict]:
    if "Item" in parsed:
        return [parsed["Item"]]
    if "Items" in parsed:
        return parsed["Items"]
    responses = parsed.get("Responses")
    if isinstance(responses, dict):
        return [item for found in responses.values() for item in found]
    return []


def test_a_sent_message_keeps_its_masked_contact_for_the_log(pos):
    from functions.messaging.automatic import run_job
    from tests.integration.test_sales import CPF, PHONE, sale
    from tests.integration.test_welcome import ten_tomorrow

    first = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF, "phone": PHONE}))
    assert run_job("welcome", "rede-teste", ten_tomorrow())["sent"] == 1
    message = messages.get_message("rede-teste", first.json_body["customer_id"], "welcome", "ever")
    assert message.contact == "(11) *****-" + PHONE[-4:]


def test_a_manager_of_two_stores_sees_them_added_up_and_side_by_side(network):
    from bemtevi.domain.staff import Manager, Role

    two = Manager("u-4", "duas@rede.com.br", TENANT, Role.STORE, frozenset({"centro", "shopping"}))
    page = home(two, {})
    found = tables(page.body)
    assert rows_by_label(found["grupo-2"])["Vendas"] == ["3", "200"]
    assert [row[0] for row in found["lojas"][1:]] == ["Loja Centro", "Shopping Sul"]
    assert NAMES["bairro"] not in page.body
    before, after, _ = months()
    compared = rows_by_label(tables(compare(two, {"de": before, "ate": after}).body)["comparacao"])
    assert compared["Vendas"] == ["100", "200", "+100,0%"]
