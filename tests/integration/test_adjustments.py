"""Manual adjustments of a customer's points (`adjust_points`, `bemtevi customer adjust`):
ledger entries of kind `adjusted` with their reason, the balance, the store-day counters,
refusals that write nothing, a repeat that adjusts once, and an adjusted-in lot paying a
redemption at another store through compensation."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.errors import InvalidInput, NotFound
from bemtevi.store.customers import ledger
from bemtevi.store.models import (
    AdjustmentRecord,
    CompensationRecord,
    CustomerRecord,
    DayCounterRecord,
)
from cli.main import main
from functions.loyalty.adjustments import adjust_points, customer_id_by_cpf
from functions.network import benefit_rules, stores
from tests.english import english_words
from tests.integration.conftest import Pos
from tests.integration.test_sales import CPF, sale

TENANT = "rede-teste"
NOW = datetime.now(UTC)


@pytest.fixture
def customer(pos) -> str:
    """A customer of loja-1 with 159 points (a R$ 159,90 sale yesterday), and loja-2."""
    stores.add_store(TENANT, "loja-2", "Loja 2")
    answer = pos.post(
        "/v1/sales", sale("v-1", total=15990, at=NOW - timedelta(days=1), customer={"cpf": CPF})
    ).json_body
    assert answer["points_earned"] == 159
    return answer["customer_id"]


def today() -> str:
    return NOW.astimezone(ZoneInfo("America/Sao_Paulo")).date().isoformat()


def counter(store_id: str) -> int:
    try:
        item = DayCounterRecord.get(*DayCounterRecord.keys(TENANT, store_id, today()))
    except DayCounterRecord.DoesNotExist:
        return 0
    return int(item.points_adjusted)


def stored(customer_id: str) -> CustomerRecord:
    return CustomerRecord.get(*CustomerRecord.keys(TENANT, customer_id), consistent_read=True)


def adjusted_entries(customer_id: str) -> list[tuple]:
    return [
        (int(entry.points), entry.store_id, entry.reason, dict(entry.lots.as_dict()))
        for entry in ledger(TENANT, customer_id)
        if entry.entry_kind == "adjusted"
    ]


def test_plus_fifty_then_minus_twenty(customer):
    plus = adjust_points(TENANT, customer, "+50", "brinde de aniversário", "loja-2", "a***@x.com")
    assert (plus["points"], plus["balance"], plus["available"], plus["replayed"]) == (
        50,
        209,
        209,
        False,
    )
    minus = adjust_points(TENANT, customer, -20, "  venda   em dobro ", "loja-1", "cli")
    assert (minus["balance"], minus["reason"]) == (189, "venda em dobro")
    record = stored(customer)
    assert (int(record.balance), int(record.debt)) == (189, 0)
    assert sorted(adjusted_entries(customer)) == [
        (-20, "loja-1", "venda em dobro", {"loja-1:v-1": -20}),
        (50, "loja-2", "brinde de aniversário", {f"loja-2:ajuste-{plus['adjustment_id']}": 50}),
    ]
    assert sum(int(entry.points) for entry in ledger(TENANT, customer)) == 189
    assert (counter("loja-1"), counter("loja-2")) == (-20, 50)


def test_taking_more_than_the_balance_is_refused_and_writes_nothing(customer):
    before = stored(customer)
    with pytest.raises(InvalidInput) as refused:
        adjust_points(TENANT, customer, "-160", "erro", "loja-1", "cli", adjustment_id="a" * 20)
    assert (refused.value.message, refused.value.field) == (
        "O cliente tem só 159 pontos.",
        "points",
    )
    after = stored(customer)
    assert (after.revision, int(after.balance)) == (before.revision, 159)
    assert adjusted_entries(customer) == []
    assert counter("loja-1") == 0
    with pytest.raises(AdjustmentRecord.DoesNotExist):
        AdjustmentRecord.get(*AdjustmentRecord.keys(TENANT, customer, "a" * 20))


def test_the_same_adjustment_twice_adjusts_once(customer):
    first = adjust_points(TENANT, customer, 30, "troca de produto", "loja-1", "cli", NOW, "x" * 12)
    again = adjust_points(TENANT, customer, 30, "troca de produto", "loja-1", "cli", None, "x" * 12)
    assert first["balance"] == again["balance"] == 189
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert len(adjusted_entries(customer)) == 1
    assert int(stored(customer).balance) == 189
    assert counter("loja-1") == 30


def test_another_tenants_customer_or_store_is_not_found(customer):
    stores.create_tenant("outra", "Outra Rede")
    stores.add_store("outra", "loja-1", "Loja 1")
    with pytest.raises(NotFound):
        adjust_points("outra", customer, 10, "brinde", "loja-1", "cli")
    with pytest.raises(InvalidInput) as refused:
        adjust_points(TENANT, customer, 10, "brinde", "loja-9", "cli")
    assert (refused.value.message, refused.value.field) == (
        "Loja não encontrada nesta rede.",
        "store_id",
    )
    assert adjusted_entries(customer) == []


def test_the_cli_finds_the_customer_by_cpf_and_adjusts(customer, capsys):
    argv = ["customer", "adjust", "--tenant", TENANT, "--cpf", CPF, "--points", "25"]
    assert main([*argv, "--reason", "compra sem CPF", "--store", "loja-2", "--id", "c" * 10]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "Ajuste registrado: +25 pontos (loja loja-2).",
        "  motivo: compra sem CPF",
    ]
    assert "saldo: 184 pontos" in out
    assert english_words(out) == set()
    assert int(stored(customer).balance) == 184
    assert main([*argv, "--reason", "compra sem CPF", "--store", "loja-2", "--id", "c" * 10]) == 0
    assert "já tinha sido registrado" in capsys.readouterr().out
    assert main([*argv[:-1], "-999", "--reason", "x", "--store", "loja-2"]) == 1
    err = capsys.readouterr().err
    assert err == "Erro: Escreva o motivo do ajuste (de 3 a 200 caracteres).\n"
    assert main(["customer", "adjust", "--tenant", TENANT, "--cpf", "111.444.777-35",
                 "--points", "5", "--reason", "teste", "--store", "loja-1"]) == 1  # fmt: skip
    assert capsys.readouterr().err == "Erro: Cliente não encontrado nesta rede.\n"
    assert int(stored(customer).balance) == 184
    assert customer_id_by_cpf(TENANT, CPF) == customer


def test_an_adjusted_in_lot_redeemed_at_another_store_is_compensated(pos, aws):
    """The network chose loja-2 as the points' origin: loja-2 owes loja-1 the value
    loja-1 gives away, as for points earned at loja-2."""
    stores.add_store(TENANT, "loja-2", "Loja 2")
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 50, discount=1000)
    first = pos.post("/v1/sales", sale("v-0", total=50, customer={"cpf": CPF})).json_body
    assert first["points_earned"] == 0
    adjust_points(TENANT, first["customer_id"], 100, "acerto da loja 2", "loja-2", "cli")
    redemption = {
        "redemption_id": "r-1",
        "customer": {"cpf": CPF},
        "benefit_id": "dez",
        "purchase_total": 5000,
        "occurred_at": NOW.isoformat(),
    }
    assert pos.post("/v1/redemptions", redemption).json_body["balance"] == 50
    month = NOW.astimezone(ZoneInfo("America/Sao_Paulo")).strftime("%Y-%m")
    pk = CompensationRecord.keys(TENANT, month, "x", "y")[0]
    lines = {(r.payer, r.receiver): int(r.amount) for r in CompensationRecord.query(pk)}
    assert lines == {("loja-2", "loja-1"): 1000, ("loja-1", "loja-1"): 0}


def test_a_second_store_pos(pos, api):
    """The POS of another store sees the balance the adjustment left."""
    second = Pos(api, stores.add_store(TENANT, "loja-2", "Loja 2"))
    answer = pos.post("/v1/sales", sale("v-2", total=1000, customer={"cpf": CPF})).json_body
    adjust_points(TENANT, answer["customer_id"], 40, "brinde", "loja-2", "cli")
    balance = second.post("/v1/balance", {"cpf": CPF}).json_body
    assert (balance["balance"], balance["available"]) == (50, 50)


def test_the_adjusted_points_reach_the_snapshot_and_the_roll_up(customer):
    from bemtevi.domain.metrics import NETWORK
    from bemtevi.store import metrics as repository
    from bemtevi.store.models import MonthCounterRecord
    from functions.reporting import rollup, snapshots

    adjust_points(TENANT, customer, 50, "brinde", "loja-2", "cli")
    adjust_points(TENANT, customer, -20, "correção", "loja-1", "cli")
    day = datetime.fromisoformat(today()).date()
    snapshots.snapshot(TENANT, day + timedelta(days=1))
    month = day.strftime("%Y-%m")
    counted = {
        scope: repository.snapshots(TENANT, scope, month, month)[0].month_counts["points_adjusted"]
        for scope in ("loja-1", "loja-2", NETWORK)
    }
    assert counted == {"loja-1": -20, "loja-2": 50, NETWORK: 30}
    rollup.roll_up(TENANT, day)
    item = MonthCounterRecord.get(*MonthCounterRecord.keys(TENANT, "loja-2", month))
    assert int(item.points_adjusted) == 50
