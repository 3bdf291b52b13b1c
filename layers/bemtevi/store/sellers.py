"""Repository of the sales team: salespeople per store by their POS seller code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import PutError, UpdateError

from bemtevi.errors import Conflict, NotFound
from bemtevi.store.models import NetworkTable, SellerRecord, TenantRecord


@dataclass(frozen=True)
class Seller:
    store_id: str
    code: str
    name: str
    active: bool
    created_at: datetime


def _seller(record: SellerRecord) -> Seller:
    return Seller(record.store_id, record.code, record.name, record.active, record.created_at)


def add(tenant_id: str, store_id: str, code: str, name: str, now: datetime) -> Seller:
    """A new salesperson (409 when the store already has the code)."""
    record = SellerRecord(
        *SellerRecord.keys(tenant_id, store_id, code),
        tenant_id=tenant_id,
        store_id=store_id,
        code=code,
        name=name,
        created_at=now,
    )
    try:
        record.save(condition=NetworkTable.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(
                "seller_exists", "A loja já tem esse código de vendedor.", "code"
            ) from None
        raise
    return _seller(record)


def team(tenant_id: str, store_id: str | None = None) -> list[Seller]:
    """One Query: the salespeople of a store, or of every store."""
    pk, _ = TenantRecord.keys(tenant_id)
    prefix = f"SELLER#{store_id}#" if store_id else "SELLER#"
    return [_seller(r) for r in SellerRecord.query(pk, NetworkTable.sk.startswith(prefix))]


def set_active(tenant_id: str, store_id: str, code: str, active: bool) -> Seller:
    record = SellerRecord(*SellerRecord.keys(tenant_id, store_id, code))
    try:
        record.update(actions=[SellerRecord.active.set(active)], condition=NetworkTable.pk.exists())
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise NotFound("seller_not_found", "Vendedor não encontrado.", "code") from None
        raise
    return _seller(record)
