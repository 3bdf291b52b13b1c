"""POST /v1/products/batch: the ERP's catalogue (price and cost in centavos), up to 500
products, 25 per BatchWriteItem; a bad item gets its own error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.errors import BemteviError
from bemtevi.store import network
from functions.common.auth import StoreIdentity


def upsert_products(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> dict:
    batch = contract.validated("ProductBatchRequest", payload)
    results: list[dict] = []
    valid: dict[str, dict] = {}
    for index, fields in enumerate(batch["products"]):
        try:
            product = contract.validated("ProductFields", fields, f"products.{index}")
        except BemteviError as error:
            results.append({"index": index, "status": "error", **error.as_body()})
            continue
        valid[product["sku"]] = product
        results.append({"index": index, "status": "ok", "sku": product["sku"]})
    network.save_products(caller.tenant_id, list(valid.values()), now or datetime.now(UTC))
    return {"results": results}


def add_product(tenant_id: str, fields: dict, now: datetime | None = None) -> dict:
    """`bemtevi product add`: a product typed by hand, for networks whose ERP does not
    send the cost a product benefit is worth."""
    product = contract.validated(
        "ProductFields", {name: value for name, value in fields.items() if value is not None}
    )
    network.get_tenant(tenant_id)
    network.save_products(tenant_id, [product], now or datetime.now(UTC))
    return product
