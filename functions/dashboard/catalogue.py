"""/painel/catalogo (network admins): the products the ERP synced (or `bemtevi product
add` typed), with brand, price and cost, searched by the start of the name or of the SKU
(whatever the case and accents), a page at a time. A product of an active benefit that
has no cost is flagged: its benefit was valued at a cost the catalogue no longer has."""

from __future__ import annotations

from bemtevi.domain.benefits import PRODUCT
from bemtevi.domain.money import brl
from bemtevi.domain.staff import Manager
from bemtevi.store import catalogue, network
from functions.dashboard.common import Query, rendered
from functions.portal.pages import Page

HREF = "/painel/catalogo"
PAGE_SIZE = 25


def catalogue_page(manager: Manager, query: Query) -> Page:
    by = catalogue.BY_SKU if query.get("por") == catalogue.BY_SKU else catalogue.BY_NAME
    text = query.get("q", "").strip()[:100]
    found = catalogue.search(manager.tenant_id, by, text, PAGE_SIZE, query.get("depois", ""))
    benefits = _product_benefits(manager.tenant_id)
    uncosted = _uncosted(manager.tenant_id, benefits)
    return rendered(
        manager,
        HREF,
        "painel/catalogo.html",
        "Catálogo",
        produtos=[_row(product, benefits) for product in found.products],
        por=by,
        q=text,
        seguinte=found.next_cursor,
        primeira=bool(query.get("depois")),
        sem_custo=uncosted,
    )


def _product_benefits(tenant_id: str) -> dict[str, list[str]]:
    """The descriptions of the active product benefits, by SKU."""
    by_sku: dict[str, list[str]] = {}
    for benefit in network.benefits(tenant_id):
        if benefit.active and benefit.kind == PRODUCT and benefit.sku:
            by_sku.setdefault(benefit.sku, []).append(benefit.description)
    return by_sku


def _uncosted(tenant_id: str, benefits: dict[str, list[str]]) -> list[dict]:
    """Every product of an active benefit whose cost is missing (or that is gone), on
    any page: a BatchGetItem of those SKUs."""
    if not benefits:
        return []
    found = catalogue.products(tenant_id, set(benefits))
    return [
        {"sku": sku, "beneficios": ", ".join(names), "existe": sku in found}
        for sku, names in sorted(benefits.items())
        if sku not in found or not found[sku].cost
    ]


def _row(product: catalogue.Product, benefits: dict[str, list[str]]) -> dict:
    names = benefits.get(product.sku, [])
    return {
        "sku": product.sku,
        "nome": product.name,
        "marca": product.brand or "—",
        "categoria": product.category or "—",
        "preco": brl(product.price),
        "custo": brl(product.cost) if product.cost else "sem custo",
        "alerta": ", ".join(names) if names and not product.cost else "",
    }
