"""POST /v1/products/batch: the ERP's catalogue."""

from bemtevi.store.models import ProductRecord


def test_products_are_saved_with_price_and_cost(pos):
    batch = {
        "products": [
            {"sku": "BODY-1", "name": "Body", "category": "roupas", "price": 7990, "cost": 3100},
            {"sku": "X", "name": "Sem preço"},
            {"sku": "MAMA-1", "name": "Mamadeira", "price": 10010},
        ]
    }
    results = pos.post("/v1/products/batch", batch).json_body["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["error"]["field"] == "products.1.price"
    body = ProductRecord.get(*ProductRecord.keys("rede-teste", "BODY-1"))
    assert (body.name, body.price, body.cost, body.category) == ("Body", 7990, 3100, "roupas")
    assert ProductRecord.get(*ProductRecord.keys("rede-teste", "MAMA-1")).cost is None
