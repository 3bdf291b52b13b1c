"""POST /v1/sales: points into lots, idempotent, counted per store and day."""

from datetime import UTC, datetime, timedelta

import pytest

from bemtevi.store.customers import ledger
from bemtevi.store.models import CustomerRecord, DayCounterRecord, SaleRecord
from functions.network import points_program

CPF, PHONE = "529.982.247-25", "(11) 98765-4321"
NOW = datetime.now(UTC)


def sale(sale_id="v-1", total=15990, at=None, **extra):
    occurred = (at or NOW).astimezone().isoformat(timespec="seconds")
    return {"sale_id": sale_id, "occurred_at": occurred, "total": total, **extra}


def customer_of(answer) -> CustomerRecord:
    return CustomerRecord.get(*CustomerRecord.keys("rede-teste", answer["customer_id"]))


def counters(day: str) -> DayCounterRecord:
    return DayCounterRecord.get(*DayCounterRecord.keys("rede-teste", "loja-1", day))


def today() -> str:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("America/Sao_Paulo")).date().isoformat()


def test_a_sale_earns_one_point_per_real_rounded_down(pos):
    body = sale(total=15990, discount=1000, customer={"cpf": CPF, "name": "Maria"})
    answer = pos.post("/v1/sales", body).json_body
    assert answer["points_earned"] == 149
    assert (answer["balance"], answer["available"], answer["debt"]) == (149, 149, 0)
    customer = customer_of(answer)
    assert [(lot.store_id, lot.amount, lot.remaining) for lot in customer.lots] == [
        ("loja-1", 149, 149)
    ]
    lot = customer.lots[0]
    assert lot.expires_at - lot.earned_at == timedelta(days=180)
    assert (customer.visits, customer.total_spent, customer.name) == (1, 14990, "Maria")
    assert [(e.entry_kind, e.points) for e in ledger("rede-teste", answer["customer_id"])] == [
        ("earned", 149)
    ]


def test_the_same_sale_again_answers_the_same_and_credits_nothing(pos):
    body = sale(customer={"cpf": CPF})
    first = pos.post("/v1/sales", body)
    again = pos.post("/v1/sales", body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json_body == first.json_body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert customer_of(first.json_body).balance == 159
    assert counters(today()).sales == 1


def test_the_same_sale_id_with_another_payload_is_a_conflict(pos):
    pos.post("/v1/sales", sale(customer={"cpf": CPF}))
    response = pos.post("/v1/sales", sale(total=100, customer={"cpf": CPF}))
    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "sale_id_reused"


def test_the_same_sale_id_at_another_store_is_another_sale(pos, api, store):
    from functions.network import stores
    from tests.integration.conftest import Pos

    other = Pos(api, stores.add_store("rede-teste", "loja-2", "Loja 2"))
    pos.post("/v1/sales", sale(customer={"cpf": CPF}))
    answer = other.post("/v1/sales", sale(customer={"cpf": CPF})).json_body
    assert answer["balance"] == 318


def test_an_nfce_key_belongs_to_one_sale(pos):
    key = "3" * 44
    assert pos.post("/v1/sales", sale("v-1", nfce_key=key)).status_code == 201
    response = pos.post("/v1/sales", sale("v-2", nfce_key=key))
    assert response.status_code == 409
    assert response.json_body["error"] == {
        "code": "nfce_key_used",
        "message": response.json_body["error"]["message"],
        "field": "nfce_key",
    }
    assert SaleRecord.count(SaleRecord.keys("rede-teste", "loja-1", "v-2")[0]) == 0


def test_anonymous_sales_count_in_the_store_day_counters(pos):
    pos.post("/v1/sales", sale("v-1", total=5000, discount=500))
    pos.post("/v1/sales", sale("v-2", total=2000, customer={"phone": PHONE}))
    day = counters(today())
    assert (day.sales, day.identified_sales, day.earning_sales) == (2, 1, 1)
    assert (day.revenue, day.gross, day.discount, day.points_issued) == (6500, 7000, 500, 20)


def test_an_offline_sale_keeps_its_own_date_for_expiry_and_counters(pos):
    ten_days_ago = NOW - timedelta(days=10)
    answer = pos.post("/v1/sales", sale(at=ten_days_ago, customer={"cpf": CPF})).json_body
    lot = customer_of(answer).lots[0]
    assert abs(lot.earned_at - ten_days_ago) < timedelta(seconds=1)
    assert abs(lot.expires_at - (ten_days_ago + timedelta(days=180))) < timedelta(seconds=1)
    from zoneinfo import ZoneInfo

    assert counters(ten_days_ago.astimezone(ZoneInfo("America/Sao_Paulo")).date().isoformat())


def test_a_late_sale_does_not_become_the_last_purchase(pos):
    pos.post("/v1/sales", sale("v-new", seller={"code": "V1"}, customer={"cpf": CPF}))
    late = sale("v-old", at=NOW - timedelta(days=3), seller={"code": "V9"}, customer={"cpf": CPF})
    customer = customer_of(pos.post("/v1/sales", late).json_body)
    assert customer.last_seller == "V1"
    assert customer.visits == 2
    assert customer.average_ticket == 15990
    assert customer.first_purchase_at < customer.last_purchase_at


def test_program_rules_per_store_and_category(pos, store):
    points_program.set_program(
        "rede-teste",
        points_per_real="2",
        store_rates={"loja-1": "3"},
        category_multipliers={"roupas": "2"},
    )
    items = [
        {"sku": "A", "quantity": 1, "unit_price": 6000, "category": "roupas"},
        {"sku": "B", "quantity": 2, "unit_price": 2000, "category": "brinquedos"},
    ]
    body = sale(total=10000, items=items, customer={"cpf": CPF})
    # 100 reais at 3 points each, weighted (60% x2 + 40% x1 = 1.6): 480
    assert pos.post("/v1/sales", body).json_body["points_earned"] == 480


def test_pending_points_are_in_the_balance_but_not_available(pos):
    points_program.set_program("rede-teste", pending_days=7)
    answer = pos.post("/v1/sales", sale(customer={"cpf": CPF})).json_body
    assert (answer["balance"], answer["available"]) == (159, 0)
    lot = customer_of(answer).lots[0]
    assert lot.pending_until - lot.earned_at == timedelta(days=7)


def test_the_customer_is_found_by_phone_after_being_known_by_cpf(pos):
    first = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF, "phone": PHONE})).json_body
    by_phone = pos.post("/v1/sales", sale("v-2", customer={"phone": "+5511987654321"})).json_body
    assert by_phone["customer_id"] == first["customer_id"]
    assert by_phone["balance"] == 318


def test_a_customer_known_by_phone_keeps_its_id_when_the_cpf_arrives(pos):
    first = pos.post("/v1/sales", sale("v-1", customer={"phone": PHONE})).json_body
    both = pos.post("/v1/sales", sale("v-2", customer={"cpf": CPF, "phone": PHONE})).json_body
    by_cpf = pos.post("/v1/sales", sale("v-3", customer={"cpf": "52998224725"})).json_body
    assert first["customer_id"] == both["customer_id"] == by_cpf["customer_id"]
    assert by_cpf["balance"] == 159 * 3


def test_no_key_holds_a_cpf_or_phone_in_clear(pos, aws):
    import boto3

    pos.post("/v1/sales", sale(customer={"cpf": CPF, "phone": PHONE}))
    client = boto3.client("dynamodb")
    for table in ("customers", "sales"):
        items = client.scan(TableName=f"bemtevi-test-{table}")["Items"]  # test-only look
        keys = " ".join(item["pk"]["S"] + item["sk"]["S"] for item in items)
        assert items
        for trace in ("52998224725", "5511987654321", "987654321"):
            assert trace not in keys


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff\xfe"])
def test_bodies_that_are_not_json_are_refused(pos, raw):
    response = pos.post("/v1/sales", raw=raw)
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_json"


def test_a_body_over_256_kb_is_refused(pos):
    response = pos.post("/v1/sales", raw=b'{"sale_id": "' + b"x" * (256 * 1024) + b'"}')
    assert response.status_code == 413
