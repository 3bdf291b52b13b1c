"""Salespeople per store, by the POS seller code: `bemtevi seller add|list|disable`."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi.domain import followup
from bemtevi.domain import network as rules
from bemtevi.errors import NotFound
from bemtevi.store import network, sellers


def seller_view(seller: sellers.Seller) -> dict:
    return {
        "store": seller.store_id,
        "code": seller.code,
        "name": seller.name,
        "active": seller.active,
        "created_at": seller.created_at.isoformat() if seller.created_at else None,
    }


def add_seller(tenant_id: str, store_id: str, code: str, name: str) -> dict:
    """A new salesperson of an existing store (404: no such store; 409: code taken)."""
    rules.valid_id(store_id, "store")
    code = followup.valid_seller_code(code)
    name = followup.valid_seller_name(name)
    network.get_store(tenant_id, store_id)
    return seller_view(sellers.add(tenant_id, store_id, code, name, datetime.now(UTC)))


def list_sellers(tenant_id: str, store_id: str | None = None) -> list[dict]:
    network.get_tenant(tenant_id)
    return [seller_view(seller) for seller in sellers.team(tenant_id, store_id)]


def disable_seller(tenant_id: str, store_id: str, code: str) -> dict:
    """The salesperson's customers go to the store's shared list from the next day on."""
    code = followup.valid_seller_code(code)
    if not any(s.code == code for s in sellers.team(tenant_id, store_id)):
        raise NotFound("seller_not_found", "Vendedor não encontrado.", "code")
    return seller_view(sellers.set_active(tenant_id, store_id, code, False))
