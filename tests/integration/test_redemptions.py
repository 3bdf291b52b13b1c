"""POST /v1/redemptions and its cancellation: FIFO lots, refusals, compensation lines."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.store.customers import ledger
from bemtevi.store.models import CompensationRecord, CustomerRecord, DayCounterRecord
from functions.network import benefit_rules, products, stores
from tests.integration.conftest import Pos
from tests.integration.test_sales import CPF, sale

NOW = datetime.now(UTC)


@pytest.fixture
def shops(api, store):
    """loja-1 (the `pos` fixture) and loja-2, a discount and a product benefit."""
    second = Pos(api, stores.add_store("rede-teste", "loja-2", "Loja 2"))
    products.add_product(
        "rede-teste", {"sku": "MAMA", "name": "Mamadeira", "price": 5000, "cost": 2100}
    )
    benefit_rules.add_benefit(
        "rede-teste", "dez", "R$ 10", 50, discount=1000, minimum_purchase=3000
    )
    benefit_rules.add_benefit("rede-teste", "mamadeira", "Mamadeira", 80, sku="MAMA")
    benefit_rules.add_benefit(
        "rede-teste", "so-1", "Só loja 1", 10, discount=100, stores=("loja-1",)
    )
    return second


def redemption(redemption_id="r-1", benefit="dez", total=5000, **customer):
    return {
        "redemption_id": redemption_id,
        "customer": customer or {"cpf": CPF},
        "benefit_id": benefit,
        "purchase_total": total,
        "occurred_at": NOW.isoformat(),
    }


def buy(pos: Pos, sale_id: str, total: int, days_ago: float = 0) -> dict:
    when = NOW - timedelta(days=days_ago)
    return pos.post(
        "/v1/sales", sale(sale_id, total=total, at=when, customer={"cpf": CPF})
    ).json_body


def month() -> str:
    from zoneinfo import ZoneInfo

    return NOW.astimezone(ZoneInfo("America/Sao_Paulo")).strftime("%Y-%m")


def lines() -> dict:
    pk = CompensationRecord.keys("rede-teste", month(), "x", "y")[0]
    return {(r.payer, r.receiver): int(r.amount) for r in CompensationRecord.query(pk)}


def test_the_example_a_owes_b_six_reais(pos, shops):
    pos.post(
        "/v1/sales", sale("v-a", total=3000, at=NOW - timedelta(days=2), customer={"cpf": CPF})
    )
    shops.post(
        "/v1/sales", sale("v-b", total=2000, at=NOW - timedelta(days=1), customer={"cpf": CPF})
    )
    answer = shops.post("/v1/redemptions", redemption()).json_body
    assert answer == {
        "redemption_id": "r-1",
        "customer_id": answer["customer_id"],
        "benefit_id": "dez",
        "kind": "discount",
        "points_used": 50,
        "discount": 1000,
        "product": None,
        "value": 1000,
        "balance": 0,
        "available": 0,
    }
    assert lines() == {("loja-1", "loja-2"): 600, ("loja-2", "loja-2"): 400}


def test_lots_that_expire_first_are_spent_first(pos, shops):
    old = NOW - timedelta(days=100)
    pos.post("/v1/sales", sale("v-new", total=6000, customer={"cpf": CPF}))
    shops.post("/v1/sales", sale("v-old", total=3000, at=old, customer={"cpf": CPF}))
    answer = pos.post("/v1/redemptions", redemption()).json_body
    record = CustomerRecord.get(*CustomerRecord.keys("rede-teste", answer["customer_id"]))
    assert [(lot.lot_id, lot.remaining) for lot in record.lots] == [("loja-1:v-new", 40)]
    # 30 points from loja-2 and 20 from loja-1: loja-2 owes loja-1 R$ 6,00
    assert lines() == {("loja-2", "loja-1"): 600, ("loja-1", "loja-1"): 400}
    assert [e.entry_kind for e in ledger("rede-teste", answer["customer_id"])].count(
        "redeemed"
    ) == 1


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (redemption(total=2999), "below_minimum_purchase", "purchase_total"),
        (redemption(benefit="mamadeira"), "insufficient_points", "customer"),
        (redemption(benefit="nada"), "benefit_inactive", "benefit_id"),
        (redemption(phone="(11) 91234-5678"), "customer_not_found", "customer"),
    ],
)
def test_refusals_are_422_with_their_code_and_write_nothing(pos, shops, body, code, field):
    pos.post("/v1/sales", sale("v-1", total=6000, customer={"cpf": CPF}))
    response = pos.post("/v1/redemptions", body)
    assert response.status_code == 422
    assert (response.json_body["error"]["code"], response.json_body["error"]["field"]) == (
        code,
        field,
    )
    assert pos.post("/v1/balance", {"cpf": CPF}).json_body["balance"] == 60
    assert lines() == {}


def test_a_benefit_of_another_store_is_refused(pos, shops):
    shops.post("/v1/sales", sale("v-1", total=6000, customer={"cpf": CPF}))
    response = shops.post("/v1/redemptions", redemption(benefit="so-1"))
    assert response.json_body["error"]["code"] == "store_not_allowed"


def test_a_redemption_is_idempotent_by_its_id(pos, shops):
    pos.post("/v1/sales", sale("v-1", total=12000, customer={"cpf": CPF}))
    first = pos.post("/v1/redemptions", redemption())
    again = pos.post("/v1/redemptions", redemption())
    assert again.json_body == first.json_body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert pos.post("/v1/balance", {"cpf": CPF}).json_body["balance"] == 70
    other = pos.post("/v1/redemptions", redemption(total=9000))
    assert other.status_code == 409
    assert other.json_body["error"]["code"] == "redemption_id_reused"
    assert other.json_body["error"]["field"] == "redemption_id"


def test_a_product_benefit_hands_over_the_product_worth_its_cost(pos, shops):
    pos.post("/v1/sales", sale("v-1", total=10000, customer={"cpf": CPF}))
    answer = pos.post("/v1/redemptions", redemption(benefit="mamadeira", total=0)).json_body
    assert (answer["kind"], answer["discount"], answer["product"], answer["value"]) == (
        "product",
        0,
        {"sku": "MAMA"},
        2100,
    )


def test_a_customer_can_be_named_by_id(pos, shops):
    sold = pos.post("/v1/sales", sale("v-1", total=6000, customer={"cpf": CPF})).json_body
    answer = pos.post("/v1/redemptions", redemption(customer_id=sold["customer_id"])).json_body
    assert answer["balance"] == 10


def test_cancelling_gives_the_same_lots_back_and_reverses_compensation(pos, shops):
    pos.post(
        "/v1/sales", sale("v-a", total=3000, at=NOW - timedelta(days=2), customer={"cpf": CPF})
    )
    shops.post(
        "/v1/sales", sale("v-b", total=2000, at=NOW - timedelta(days=1), customer={"cpf": CPF})
    )
    redeemed = shops.post("/v1/redemptions", redemption()).json_body
    cancelled = shops.post("/v1/redemptions/r-1/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json_body == {
        "redemption_id": "r-1",
        "customer_id": redeemed["customer_id"],
        "points_returned": 50,
        "points_expired": 0,
        "balance": 50,
        "available": 50,
    }
    record = CustomerRecord.get(*CustomerRecord.keys("rede-teste", redeemed["customer_id"]))
    assert sorted((lot.lot_id, lot.remaining) for lot in record.lots) == [
        ("loja-1:v-a", 30),
        ("loja-2:v-b", 20),
    ]
    assert lines() == {("loja-1", "loja-2"): 0, ("loja-2", "loja-2"): 0}
    again = shops.post("/v1/redemptions/r-1/cancel")
    assert again.json_body == cancelled.json_body
    assert shops.post("/v1/redemptions/r-9/cancel").status_code == 404


def test_points_whose_lot_expired_meanwhile_expire_again(pos, shops):
    from functions.common.auth import StoreIdentity
    from functions.loyalty.redemptions import cancel_redemption

    sold_at = NOW - timedelta(days=179, hours=23)
    pos.post("/v1/sales", sale("v-1", total=6000, at=sold_at, customer={"cpf": CPF}))
    pos.post("/v1/redemptions", redemption())
    caller = StoreIdentity("rede-teste", "loja-1", pos.store["key_id"])
    later = NOW + timedelta(days=2)
    answer = cancel_redemption(caller, "r-1", now=later).body
    assert (answer["points_returned"], answer["points_expired"], answer["balance"]) == (50, 50, 0)
    entries = ledger("rede-teste", answer["customer_id"])
    assert sorted((e.entry_kind, int(e.points)) for e in entries) == [
        ("cancelled", 50),
        ("earned", 60),
        ("expired", -50),
        ("expired", -10),
        ("redeemed", -50),
    ]
    day = later.astimezone(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    counter = DayCounterRecord.get(*DayCounterRecord.keys("rede-teste", "loja-1", day))
    assert (counter.redemptions_cancelled, counter.points_expired) == (1, 60)


def test_150_lots_in_one_redemption_all_or_nothing(pos, shops):
    """More lots than a DynamoDB transaction has actions: the live lots sit in the
    customer item, so the redemption is still one transaction (seeded directly: 150 sales
    through moto would copy the tables 150 times)."""

    from dataclasses import replace

    from bemtevi.domain.ledger import MAX_LOTS, Points
    from bemtevi.store.customers import customer_of, points_of, record_of, with_points

    sold = buy(shops, "v-0", 100)
    record = CustomerRecord.get(*CustomerRecord.keys("rede-teste", sold["customer_id"]))
    lot = points_of(customer_of(record)).lots[0]
    lots = tuple(
        replace(
            lot,
            lot_id=f"loja-2:v-{n}",
            sale_id=f"v-{n}",
            expires_at=lot.expires_at + timedelta(minutes=n),
            amount=1,
            remaining=1,
        )
        for n in range(150)
    )
    record = record_of(with_points(customer_of(record), Points(lots), 10))
    record.save()
    benefit_rules.add_benefit("rede-teste", "grande", "Grande", 150, discount=15000)
    answer = pos.post("/v1/redemptions", redemption(benefit="grande")).json_body
    assert answer["balance"] == 0
    record.refresh()
    assert record.lots == []
    assert lines() == {("loja-2", "loja-1"): 15000, ("loja-1", "loja-1"): 0}
    back = pos.post("/v1/redemptions/r-1/cancel").json_body
    assert back["balance"] == 150
    record.refresh()
    # the same lots come back, the closest merged down to the bound a customer item keeps
    assert {lot.lot_id for lot in record.lots} <= {lot.lot_id for lot in lots}
    assert (len(record.lots), sum(lot.remaining for lot in record.lots)) == (MAX_LOTS, 150)


def test_points_given_back_pay_the_debt_of_a_return_first(pos, shops):
    buy(pos, "v-1", 5000)
    pos.post("/v1/redemptions", redemption())
    returned = pos.post("/v1/sales/v-1/cancel", {}).json_body
    assert (returned["balance"], returned["debt"]) == (0, 50)
    back = pos.post("/v1/redemptions/r-1/cancel").json_body
    assert back["balance"] == 0
    balance = pos.post("/v1/balance", {"cpf": CPF}).json_body
    assert (balance["balance"], balance["debt"]) == (0, 0)
    assert pos.post("/v1/redemptions", redemption("r-2")).status_code == 422


def test_a_back_dated_redemption_cannot_spend_expired_points(pos, shops):
    buy(pos, "v-1", 6000, days_ago=185)
    body = {**redemption(), "occurred_at": (NOW - timedelta(days=10)).isoformat()}
    response = pos.post("/v1/redemptions", body)
    assert response.status_code == 422
    assert response.json_body["error"]["code"] == "insufficient_points"
    assert pos.post("/v1/balance", {"cpf": CPF}).json_body["balance"] == 0
