"""The catalogue as the dashboard reads it: a page of products whose name or SKU starts
with what the manager typed (one Query on a sparse index), and the products
of known SKUs (BatchGetItem)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from bemtevi.domain.catalogue import search_key
from bemtevi.store.models import ProductRecord

BY_NAME, BY_SKU = "nome", "sku"


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    brand: str | None
    category: str | None
    price: int
    cost: int | None


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    next_cursor: str | None


def search(tenant_id: str, by: str, prefix: str, limit: int, cursor: str = "") -> ProductPage:
    """Up to `limit` products in name (or SKU) order from `cursor` (the previous page's
    `next_cursor`, an opaque text that names only the last product shown; the tenant's
    key is never taken from it)."""
    pk, _ = ProductRecord.keys(tenant_id, "")
    index, key_name = (
        (ProductRecord.by_sku, "sku_key") if by == BY_SKU else (ProductRecord.by_name, "name_key")
    )
    key_attribute = getattr(ProductRecord, key_name)
    condition = key_attribute.startswith(search_key(prefix)) if search_key(prefix) else None
    found = index.query(
        pk,
        condition,
        limit=limit,
        last_evaluated_key=_start_key(tenant_id, key_name, cursor),
    )
    products = [_product(record) for record in found]
    last = found.last_evaluated_key
    return ProductPage(products, _cursor(last, key_name) if last else None)


def products(tenant_id: str, skus: set[str]) -> dict[str, Product]:
    keys = [ProductRecord.keys(tenant_id, sku) for sku in sorted(skus)]
    return {record.sku: _product(record) for record in ProductRecord.batch_get(keys)}


def _product(record: ProductRecord) -> Product:
    return Product(
        sku=record.sku,
        name=record.name,
        brand=record.brand,
        category=record.category,
        price=int(record.price),
        cost=int(record.cost) if record.cost is not None else None,
    )


def _cursor(last: dict, key_name: str) -> str:
    sku = last["sk"]["S"].removeprefix("PRODUCT#")
    text = json.dumps([sku, last[key_name]["S"]])
    return base64.urlsafe_b64encode(text.encode()).decode()


def _start_key(tenant_id: str, key_name: str, cursor: str) -> dict | None:
    """The query's start from a cursor; none (the first page) when it is not one of ours."""
    try:
        sku, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        return None
    if not (isinstance(sku, str) and isinstance(key, str)):
        return None
    pk, sk = ProductRecord.keys(tenant_id, sku)
    return {"pk": {"S": pk}, "sk": {"S": sk}, key_name: {"S": key}}
