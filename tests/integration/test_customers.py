"""POST /v1/customers and /v1/customers/batch."""

from bemtevi.store.models import CustomerRecord
from tests.integration.test_sales import CPF, PHONE, sale


def test_create_then_update_by_cpf(pos):
    created = pos.post("/v1/customers", {"cpf": CPF, "name": "Maria", "email": "M@Example.com"})
    assert created.status_code == 201
    assert created.json_body["created"] is True
    updated = pos.post("/v1/customers", {"cpf": "52998224725", "phone": PHONE})
    assert updated.status_code == 200
    assert updated.json_body == {"customer_id": created.json_body["customer_id"], "created": False}
    record = CustomerRecord.get(
        *CustomerRecord.keys("rede-teste", updated.json_body["customer_id"])
    )
    assert (record.name, record.email, record.phone) == ("Maria", "M@example.com", "+5511987654321")


def test_an_upsert_keeps_the_points(pos):
    earned = pos.post("/v1/sales", sale(customer={"cpf": CPF})).json_body
    pos.post("/v1/customers", {"cpf": CPF, "name": "Maria Souza", "birthday": "1990-02-28"})
    record = CustomerRecord.get(*CustomerRecord.keys("rede-teste", earned["customer_id"]))
    assert (record.balance, record.name, record.birthday) == (159, "Maria Souza", "1990-02-28")


def test_a_batch_answers_per_item_and_a_bad_item_sinks_nothing(pos):
    batch = {
        "customers": [
            {"cpf": "111.444.777-35", "name": "Ana"},
            {"cpf": "123.456.789-00"},
            {"phone": "(31) 99988-7766", "nome": "campo errado"},
            {"phone": "(31) 99988-7766", "name": "Carla"},
            {"cpf": "11144477735", "email": "ana@example.com"},
        ]
    }
    results = pos.post("/v1/customers/batch", batch).json_body["results"]
    assert [r["status"] for r in results] == ["ok", "error", "error", "ok", "ok"]
    assert results[1]["error"]["field"] == "customers.1.cpf"
    assert results[2]["error"] == {
        "code": "unknown_field",
        "message": "Campo desconhecido.",
        "field": "customers.2.nome",
    }
    assert results[0]["customer_id"] == results[4]["customer_id"]
    ana = CustomerRecord.get(*CustomerRecord.keys("rede-teste", results[0]["customer_id"]))
    assert (ana.name, ana.email) == ("Ana", "ana@example.com")
    again = pos.post("/v1/customers/batch", batch).json_body["results"]
    assert [r.get("created") for r in again] == [False, None, None, False, False]
