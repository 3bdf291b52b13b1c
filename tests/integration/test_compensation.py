"""Closing a month: invoice lines per store and counterparty, late items in the next open
period, a rerun that changes nothing, and a network that must balance."""

from datetime import timedelta

import pytest

from bemtevi.domain.compensation import Unbalanced
from bemtevi.domain.months import first_day, next_month
from bemtevi.store import compensation as repository
from bemtevi.store.call_count import counting_dynamodb_calls
from bemtevi.store.models import CompensationRecord, InvoiceLineRecord, RedemptionRecord
from bemtevi.store.transactions import Contention
from functions.network import benefit_rules, stores
from functions.reporting import settlement
from tests.integration.conftest import Pos
from tests.integration.test_redemptions import NOW, lines, month, redemption
from tests.integration.test_sales import CPF, sale

TENANT = "rede-teste"


def close(period: str) -> dict:
    return settlement.close_month(TENANT, first_day(next_month(period)))


def pairs(period: str) -> dict:
    pk = CompensationRecord.keys(TENANT, period, "x", "y")[0]
    return {
        (r.origin, r.payer, r.receiver): (int(r.amount), int(r.redemptions))
        for r in CompensationRecord.query(pk)
    }


@pytest.fixture
def shops(api, store) -> Pos:
    """loja-2, next to loja-1 (the `pos` fixture); R$ 10 for 50 points over R$ 30."""
    second = Pos(api, stores.add_store(TENANT, "loja-2", "Loja 2"))
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 50, discount=1000, minimum_purchase=3000)
    return second


@pytest.fixture
def redeemed(pos, shops):
    """30 points at loja-1 and 40 at loja-2, then R$ 10 for 50 points at loja-2 (the
    oldest first): loja-1 owes loja-2 R$ 6,00 (30 points)."""
    pos.post(
        "/v1/sales", sale("v-a", total=3000, at=NOW - timedelta(days=2), customer={"cpf": CPF})
    )
    shops.post(
        "/v1/sales", sale("v-b", total=4000, at=NOW - timedelta(days=1), customer={"cpf": CPF})
    )
    shops.post("/v1/redemptions", redemption("r-1"))
    return shops


def test_closing_writes_one_line_per_counterparty_for_each_store(pos, redeemed):
    summary = close(month())
    assert (summary["month"], summary["lines"], summary["owed"], summary["receivable"]) == (
        month(),
        2,
        600,
        600,
    )
    one = settlement.statement(TENANT, "loja-1", month())
    assert one["closed"] is True
    assert [(li["counterparty"], li["owes"], li["receives"], li["net"]) for li in one["lines"]] == [
        ("loja-2", 600, 0, -600)
    ]
    assert one["lines"][0]["line_id"] == f"{month()}:loja-1:loja-2"
    assert one["totals"]["net"] == -600
    two = settlement.statement(TENANT, "loja-2", month())
    assert (two["lines"][0]["receives"], two["lines"][0]["points_received"]) == (600, 30)


def test_the_statement_is_provisional_until_the_month_closes(pos, redeemed):
    statement = settlement.statement(TENANT, "loja-2", month())
    assert statement["closed"] is False
    assert statement["totals"] == {
        "owes": 0,
        "receives": 600,
        "net": 600,
        "late_owes": 0,
        "late_receives": 0,
    }


def test_running_the_job_again_changes_nothing(pos, redeemed):
    first = close(month())
    before = [r.serialize() for r in InvoiceLineRecord.query(f"T#{TENANT}#INV#{month()}")]
    again = close(month())
    after = [r.serialize() for r in InvoiceLineRecord.query(f"T#{TENANT}#INV#{month()}")]
    assert again == first
    assert after == before


def test_a_line_that_changed_after_closing_fails_loudly(pos, redeemed):
    close(month())
    pair = CompensationRecord.get(*CompensationRecord.keys(TENANT, month(), "loja-1", "loja-2"))
    pair.update(actions=[CompensationRecord.amount.add(1)])  # what no transaction can do
    with pytest.raises(repository.InvoiceChanged):
        close(month())


def test_an_unbalanced_network_fails_loudly(pos, redeemed, monkeypatch):
    from bemtevi.domain.compensation import InvoiceLine

    lopsided = [InvoiceLine(month(), "loja-1", "loja-2", owes=600)]
    monkeypatch.setattr(settlement, "invoice_lines", lambda *_: lopsided)
    with pytest.raises(Unbalanced):
        close(month())
    assert InvoiceLineRecord.count(f"T#{TENANT}#INV#{month()}") == 0


def test_a_redemption_after_its_month_closed_goes_to_the_next_period_as_late(pos, redeemed):
    close(month())
    pos.post(
        "/v1/sales", sale("v-c", total=4000, at=NOW - timedelta(hours=1), customer={"cpf": CPF})
    )
    answer = redeemed.post("/v1/redemptions", redemption("r-2"))
    assert answer.status_code == 201
    record = RedemptionRecord.get(*RedemptionRecord.keys(TENANT, "loja-2", "r-2"))
    late = next_month(month())
    assert (record.month, record.period) == (month(), late)
    assert lines() == {("loja-1", "loja-2"): 600, ("loja-2", "loja-2"): 400}
    # 20 points left of loja-2's sale, then 30 of loja-1's new one: R$ 6,00 again
    assert pairs(late) == {
        (month(), "loja-1", "loja-2"): (600, 1),
        (month(), "loja-2", "loja-2"): (400, 1),
    }
    statement = settlement.statement(TENANT, "loja-1", late)
    assert statement["lines"][0]["late_owes"] == 600
    assert statement["lines"][0]["late_from"] == [month()]


def test_a_cancellation_after_the_month_closed_corrects_it_in_the_next_period(pos, redeemed):
    close(month())
    cancelled = redeemed.post("/v1/redemptions/r-1/cancel")
    assert cancelled.status_code == 200
    late = next_month(month())
    assert lines() == {("loja-1", "loja-2"): 600, ("loja-2", "loja-2"): 400}
    assert pairs(late) == {
        (month(), "loja-1", "loja-2"): (-600, -1),
        (month(), "loja-2", "loja-2"): (-400, -1),
    }
    summary = close(late)
    assert (summary["lines"], summary["late_lines"], summary["owed"]) == (2, 2, -600)
    one = settlement.statement(TENANT, "loja-1", late)["lines"][0]
    assert (one["owes"], one["late_owes"], one["net"]) == (-600, -600, 600)


def test_a_cancellation_in_an_open_month_reverses_its_own_items(pos, redeemed):
    redeemed.post("/v1/redemptions/r-1/cancel")
    assert pairs(month()) == {
        (None, "loja-1", "loja-2"): (0, 0),
        (None, "loja-2", "loja-2"): (0, 0),
    }
    assert close(month())["lines"] == 0


def test_a_month_closed_between_read_and_write_fails_the_write_and_is_read_again(
    pos, shops, monkeypatch
):
    from bemtevi.store import sales
    from functions.loyalty import redemptions

    pos.post("/v1/sales", sale("v-a", total=6000, customer={"cpf": CPF}))
    commit, outcomes = sales.commit, []

    def close_first(write):
        if not outcomes:
            close(month())
        try:
            commit(write)
            outcomes.append("written")
        except Contention:
            outcomes.append("contention")
            raise

    monkeypatch.setattr(redemptions.sales, "commit", close_first)
    assert shops.post("/v1/redemptions", redemption("r-1")).status_code == 201
    assert outcomes == ["contention", "written"]
    record = RedemptionRecord.get(*RedemptionRecord.keys(TENANT, "loja-2", "r-1"))
    assert record.period == next_month(month())


def test_closing_adds_no_round_trip_to_a_redemption(pos, shops):
    pos.post("/v1/sales", sale("v-a", total=12000, customer={"cpf": CPF}))
    shops.post("/v1/redemptions", redemption("r-0"))
    close(month())
    with counting_dynamodb_calls() as calls:
        shops.post("/v1/redemptions", redemption("r-1"))
    assert calls == {"TransactGetItems": 1, "TransactWriteItems": 1}
    with counting_dynamodb_calls() as calls:
        shops.post("/v1/redemptions/r-1/cancel")
    assert calls == {"GetItem": 1, "TransactGetItems": 1, "TransactWriteItems": 1}


def test_the_store_reads_its_statement_over_http(pos, redeemed):
    close(month())
    answer = redeemed.get(f"/v1/compensation?month={month()}")
    assert answer.status_code == 200
    assert answer.json_body["store"] == "loja-2"
    assert answer.json_body["totals"]["net"] == 600
    bad = redeemed.get("/v1/compensation?month=2026-13")
    assert (bad.status_code, bad.json_body["error"]["code"]) == (400, "invalid_month")
    assert redeemed.get("/v1/compensation").status_code == 400
    for month_text in ("0000-01", "9999-12"):
        bad = redeemed.get(f"/v1/compensation?month={month_text}")
        assert (bad.status_code, bad.json_body["error"]["code"]) == (400, "invalid_month")


def test_the_network_exports_a_closed_month_as_csv(pos, redeemed):
    from bemtevi.errors import Conflict

    with pytest.raises(Conflict):
        settlement.export_csv(TENANT, month())
    close(month())
    text = settlement.export_csv(TENANT, month())
    assert text.splitlines() == [
        "linha;mes;loja;contraparte;deve;recebe;liquido;deve_atrasado;recebe_atrasado;"
        "atrasado_de;pontos_devidos;pontos_recebidos;trocas_pagas;trocas_recebidas",
        f"{month()}:loja-1:loja-2;{month()};loja-1;loja-2;6,00;0,00;-6,00;0,00;0,00;;30;0;1;0",
        f"{month()}:loja-2:loja-1;{month()};loja-2;loja-1;0,00;6,00;6,00;0,00;0,00;;0;30;0;1",
    ]
