"""Benefit rules, the balance at the till, and the "can redeem" index they drive."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bemtevi.errors import InvalidInput, NotFound
from bemtevi.store.models import CustomerRecord
from functions.network import benefit_rules, points_program, products, stores
from tests.integration.test_sales import CPF, sale


@pytest.fixture
def rules(store):
    stores.add_store("rede-teste", "loja-2", "Loja 2")
    products.add_product(
        "rede-teste", {"sku": "MAMA-1", "name": "Mamadeira", "price": 5000, "cost": 2100}
    )
    benefit_rules.add_benefit(
        "rede-teste", "dez", "R$ 10 de desconto", 100, discount=1000, minimum_purchase=5000
    )
    benefit_rules.add_benefit("rede-teste", "mamadeira", "Mamadeira grátis", 300, sku="MAMA-1")
    benefit_rules.add_benefit(
        "rede-teste", "so-loja-2", "Só na loja 2", 50, discount=500, stores=("loja-2",)
    )
    benefit_rules.add_benefit(
        "rede-teste",
        "natal",
        "Natal",
        10,
        discount=100,
        starts_on=date.today() + timedelta(days=30),
    )


def test_a_sale_answers_with_the_benefits_redeemable_now(pos, rules):
    answer = pos.post("/v1/sales", sale(total=15000, customer={"cpf": CPF})).json_body
    assert [b["id"] for b in answer["benefits"]] == ["dez"]
    assert answer["benefits"][0] == {
        "id": "dez",
        "description": "R$ 10 de desconto",
        "kind": "discount",
        "points": 100,
        "value": 1000,
        "minimum_purchase": 5000,
    }


def test_the_balance_lists_every_benefit_in_force_with_the_reason(pos, rules):
    pos.post("/v1/sales", sale(total=15000, customer={"cpf": CPF}))
    answer = pos.post("/v1/balance", {"cpf": CPF}).json_body
    assert (answer["balance"], answer["available"], answer["debt"]) == (150, 150, 0)
    offers = {b["id"]: (b["available"], b["reason_code"]) for b in answer["benefits"]}
    assert offers == {
        "dez": (True, None),
        "mamadeira": (False, "insufficient_points"),
        "so-loja-2": (False, "store_not_allowed"),
    }
    mamadeira = next(b for b in answer["benefits"] if b["id"] == "mamadeira")
    assert (mamadeira["kind"], mamadeira["value"], mamadeira["sku"]) == ("product", 2100, "MAMA-1")
    assert mamadeira["reason"] == "Pontos disponíveis insuficientes."


def test_points_expiring_in_30_days_are_listed_with_their_dates(pos, rules):
    old = datetime.now(UTC) - timedelta(days=160)
    pos.post("/v1/sales", sale("v-old", total=2000, at=old, customer={"cpf": CPF}))
    pos.post("/v1/sales", sale("v-new", total=3000, customer={"cpf": CPF}))
    answer = pos.post("/v1/balance", {"cpf": CPF}).json_body
    assert [e["points"] for e in answer["expiring"]] == [20]
    expires = datetime.fromisoformat(answer["expiring"][0]["expires_at"])
    assert abs(expires - (old + timedelta(days=180))) < timedelta(seconds=1)


def test_pending_points_do_not_count_as_available(pos, rules):
    points_program.set_program("rede-teste", pending_days=7)
    pos.post("/v1/sales", sale(total=20000, customer={"cpf": CPF}))
    answer = pos.post("/v1/balance", {"cpf": CPF}).json_body
    assert (answer["balance"], answer["available"]) == (200, 0)
    assert {b["id"]: b["available"] for b in answer["benefits"]}["dez"] is False


def test_an_unknown_customer_is_404(pos, rules):
    response = pos.post("/v1/balance", {"phone": "(11) 91234-5678"})
    assert response.status_code == 404
    assert response.json_body["error"]["code"] == "customer_not_found"


def test_the_redeemable_index_follows_the_cheapest_benefit(pos, rules):
    # the cheapest benefit in force anywhere costs 50 points ("so-loja-2")
    small = pos.post("/v1/sales", sale("v-1", total=4900, customer={"cpf": CPF})).json_body
    record = CustomerRecord.get(*CustomerRecord.keys("rede-teste", small["customer_id"]))
    assert (record.redeemable_pk, record.available_from) == (None, None)
    pos.post("/v1/sales", sale("v-2", total=100, customer={"cpf": CPF}))
    record.refresh()
    assert record.redeemable_pk.startswith("T#rede-teste#redeemable#")
    assert record.available_from is not None
    assert record.expiry_pk.startswith("T#rede-teste#expiry#")


def test_a_product_benefit_is_worth_the_products_cost(rules):
    listed = {b["id"]: b for b in benefit_rules.list_benefits("rede-teste")}
    assert listed["mamadeira"]["value"] == 2100
    with pytest.raises(NotFound):
        benefit_rules.add_benefit("rede-teste", "x", "X", 10, sku="NAO-EXISTE")
    with pytest.raises(InvalidInput):
        benefit_rules.add_benefit("rede-teste", "y", "Y", 0, discount=100)


def test_a_disabled_benefit_is_no_longer_offered(pos, rules):
    benefit_rules.disable_benefit("rede-teste", "dez")
    answer = pos.post("/v1/sales", sale(total=15000, customer={"cpf": CPF})).json_body
    assert answer["benefits"] == []
