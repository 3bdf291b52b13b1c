"""POST /v1/sales/{sale_id}/cancel: full and partial returns reverse points."""

from bemtevi.store.customers import ledger
from bemtevi.store.models import CustomerRecord, SaleRecord
from tests.integration.test_sales import CPF, counters, sale, today


def test_a_full_return_takes_back_all_the_points(pos):
    earned = pos.post("/v1/sales", sale("v-1", total=10000, customer={"cpf": CPF})).json_body
    answer = pos.post("/v1/sales/v-1/cancel", {}).json_body
    assert answer == {
        "sale_id": "v-1",
        "return_id": "full",
        "amount": 10000,
        "points_reversed": 100,
        "points_recovered": 100,
        "debt_created": 0,
        "balance": 0,
        "debt": 0,
    }
    kinds = [(e.entry_kind, e.points) for e in ledger("rede-teste", earned["customer_id"])]
    assert sorted(kinds) == [("cancelled", -100), ("earned", 100)]
    customer = CustomerRecord.get(*CustomerRecord.keys("rede-teste", earned["customer_id"]))
    assert (customer.balance, customer.lots, customer.total_spent) == (0, [], 0)
    assert customer.expiry_pk is None
    day = counters(today())
    assert (day.returns, day.returned_amount, day.points_reversed) == (1, 10000, 100)


def test_partial_returns_add_up_to_what_the_sale_earned(pos):
    pos.post("/v1/sales", sale("v-1", total=999, customer={"cpf": CPF}))
    reversed_points = [
        pos.post("/v1/sales/v-1/cancel", {"return_id": f"d-{n}", "amount": 333}).json_body[
            "points_reversed"
        ]
        for n in range(3)
    ]
    assert sum(reversed_points) == 9
    assert pos.post("/v1/sales/v-1/cancel", {}).status_code == 422


def test_a_return_retried_counts_once(pos):
    pos.post("/v1/sales", sale("v-1", total=10000, customer={"cpf": CPF}))
    first = pos.post("/v1/sales/v-1/cancel", {"return_id": "d-1", "amount": 4000})
    again = pos.post("/v1/sales/v-1/cancel", {"return_id": "d-1", "amount": 4000})
    assert again.json_body == first.json_body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json_body["balance"] == 60
    other = pos.post("/v1/sales/v-1/cancel", {"return_id": "d-1", "amount": 100})
    assert other.status_code == 409
    sale_record = SaleRecord.get(*SaleRecord.keys("rede-teste", "loja-1", "v-1"))
    assert sale_record.returned_amount == 4000


def test_a_return_beyond_the_sale_is_refused_and_writes_nothing(pos):
    pos.post("/v1/sales", sale("v-1", total=10000, customer={"cpf": CPF}))
    response = pos.post("/v1/sales/v-1/cancel", {"return_id": "d-1", "amount": 10001})
    assert response.status_code == 422
    assert response.json_body["error"]["field"] == "amount"
    assert SaleRecord.get(*SaleRecord.keys("rede-teste", "loja-1", "v-1")).returned_amount == 0


def test_an_unknown_sale_is_404(pos):
    response = pos.post("/v1/sales/nao-existe/cancel", {})
    assert response.status_code == 404
    assert response.json_body["error"]["code"] == "sale_not_found"


def test_an_anonymous_sale_can_be_returned(pos):
    pos.post("/v1/sales", sale("v-1", total=3000))
    answer = pos.post("/v1/sales/v-1/cancel", {}).json_body
    assert (answer["amount"], answer["points_reversed"], answer["balance"]) == (3000, 0, 0)
