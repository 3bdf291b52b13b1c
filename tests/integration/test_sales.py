"""POST /v1/sales: points into lots, idempotent, validated, counted."""

from datetime import UTC, datetime

from tests.integration.conftest import signed

CPF = "529.982.247-25"


def sale(sale_id="v-1", total=15990, **extra):
    now = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    return {"sale_id": sale_id, "occurred_at": now, "total": total, **extra}


def test_a_sale_with_a_customer_earns_points(api, store):
    body = sale(customer={"cpf": CPF, "name": "Maria", "phone": "(11) 98765-4321"})
    response = api.post("/v1/sales", **signed(store, body))
    assert response.status_code == 201, response.json_body
    answer = response.json_body
    assert answer["points_earned"] == 159
    assert answer["balance"] == 159
    assert answer["available"] == 159
    assert answer["customer_id"].startswith("c")
    replay = api.post("/v1/sales", **signed(store, body))
    assert replay.status_code == 201
    assert replay.json_body == answer
    assert replay.headers["Idempotent-Replayed"] == "true"
    changed = api.post("/v1/sales", **signed(store, {**body, "total": 100}))
    assert changed.status_code == 409
    assert changed.json_body["error"]["field"] == "sale_id"
