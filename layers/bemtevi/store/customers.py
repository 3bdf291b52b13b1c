"""Repository of customers: finding one from a CPF or phone, and converting the customer
item to and from the domain's points and purchases."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactGet

from bemtevi.domain.customers import Purchases, customer_id_for, identity_hash
from bemtevi.domain.ledger import Entry, Lot, Points
from bemtevi.store.models import AliasRecord, CustomerRecord, LedgerRecord, LotMap

INDEX_SHARDS = 8


@dataclass(frozen=True)
class Identity:
    """A customer as a request names them: normalised CPF and/or phone, and the hashes
    that stand for them in keys."""

    cpf: str | None
    phone: str | None
    cpf_hash: str | None
    phone_hash: str | None
    derived_id: str


def identity_for(pepper: bytes, cpf: str | None, phone: str | None) -> Identity:
    return Identity(
        cpf=cpf,
        phone=phone,
        cpf_hash=identity_hash(pepper, "cpf", cpf) if cpf else None,
        phone_hash=identity_hash(pepper, "phone", phone) if phone else None,
        derived_id=customer_id_for(pepper, cpf, phone),
    )


@dataclass
class Resolution:
    """The customer a request is about: the id it has (or will get), the item if it
    exists, and the alias items to write so the other identifier finds it next time."""

    customer_id: str
    customer: CustomerRecord | None
    aliases: list[AliasRecord]


def alias_keys(tenant_id: str, identity: Identity) -> list[tuple[str, str]]:
    keys = []
    if identity.cpf_hash:
        keys.append(AliasRecord.keys(tenant_id, "cpf", identity.cpf_hash))
    if identity.phone_hash:
        keys.append(AliasRecord.keys(tenant_id, "phone", identity.phone_hash))
    return keys


def resolve(
    tenant_id: str,
    identity: Identity,
    derived: CustomerRecord | None,
    aliases: dict[tuple[str, str], AliasRecord],
) -> Resolution:
    """The CPF wins over the phone; an identifier seen for the first time is linked to
    the customer by an alias item (except a CPF that the id is derived from)."""
    cpf_key = AliasRecord.keys(tenant_id, "cpf", identity.cpf_hash) if identity.cpf_hash else None
    phone_key = (
        AliasRecord.keys(tenant_id, "phone", identity.phone_hash) if identity.phone_hash else None
    )
    cpf_alias = aliases.get(cpf_key) if cpf_key else None
    phone_alias = aliases.get(phone_key) if phone_key else None
    if cpf_alias:
        customer_id = cpf_alias.customer_id
    elif derived is not None:
        customer_id = identity.derived_id
    elif phone_alias:
        customer_id = phone_alias.customer_id
    else:
        customer_id = identity.derived_id
    customer = derived if customer_id == identity.derived_id else _get(tenant_id, customer_id)
    to_write = []
    if phone_key and (phone_alias is None or phone_alias.customer_id != customer_id):
        to_write.append(AliasRecord(*phone_key, customer_id=customer_id))
    cpf_derived = identity.cpf is not None and customer_id == identity.derived_id
    if cpf_key and not cpf_derived and (cpf_alias is None or cpf_alias.customer_id != customer_id):
        to_write.append(AliasRecord(*cpf_key, customer_id=customer_id))
    return Resolution(customer_id, customer, to_write)


def find(tenant_id: str, identity: Identity) -> Resolution:
    """One TransactGet: the derived customer item and the alias items."""
    with TransactGet(connection=_connection()) as transaction:
        derived = transaction.get(
            CustomerRecord, *CustomerRecord.keys(tenant_id, identity.derived_id)
        )
        aliases = {
            key: transaction.get(AliasRecord, *key) for key in alias_keys(tenant_id, identity)
        }
    return resolve(tenant_id, identity, _result(derived), _found(aliases))


def _result(future):
    try:
        return future.get()
    except DoesNotExist:
        return None


def _found(futures: dict) -> dict:
    return {key: item for key, future in futures.items() if (item := _result(future)) is not None}


def _get(tenant_id: str, customer_id: str) -> CustomerRecord | None:
    try:
        return CustomerRecord.get(
            *CustomerRecord.keys(tenant_id, customer_id), consistent_read=True
        )
    except DoesNotExist:
        return None


def new_customer(tenant_id: str, customer_id: str, now: datetime) -> CustomerRecord:
    return CustomerRecord(
        *CustomerRecord.keys(tenant_id, customer_id),
        tenant_id=tenant_id,
        customer_id=customer_id,
        created_at=now,
        updated_at=now,
    )


def points_of(record: CustomerRecord) -> Points:
    return Points(
        lots=tuple(
            Lot(
                lot_id=lot.lot_id,
                store_id=lot.store_id,
                sale_id=lot.sale_id,
                earned_at=lot.earned_at,
                expires_at=lot.expires_at,
                pending_until=lot.pending_until,
                amount=int(lot.amount),
                remaining=int(lot.remaining),
            )
            for lot in record.lots
        ),
        debt=int(record.debt),
    )


def purchases_of(record: CustomerRecord) -> Purchases:
    return Purchases(
        first_purchase_at=record.first_purchase_at,
        last_purchase_at=record.last_purchase_at,
        visits=int(record.visits),
        total_spent=int(record.total_spent),
        last_store=record.last_store,
        last_seller=record.last_seller,
    )


def set_points(record: CustomerRecord, points: Points, threshold: int | None) -> None:
    """Store points and keep the sparse index attributes right: `redeemable` only while
    the points reach the cheapest benefit, `expiry` only while there are points."""
    record.lots = [LotMap(**lot.__dict__) for lot in points.lots]
    record.balance = points.balance
    record.debt = points.debt
    shard = _shard(record.customer_id)
    next_expiry = points.next_expiry()
    record.expiry_pk = f"T#{record.tenant_id}#expiry#{shard}" if next_expiry else None
    record.next_expiry = next_expiry.isoformat() if next_expiry else None
    available_from = points.available_from(threshold) if threshold else None
    record.redeemable_pk = f"T#{record.tenant_id}#redeemable#{shard}" if available_from else None
    record.available_from = available_from.isoformat() if available_from else None


def set_purchases(record: CustomerRecord, purchases: Purchases) -> None:
    """Aggregates that segments filter on, average ticket included."""
    for name, value in purchases.__dict__.items():
        setattr(record, name, value)
    record.average_ticket = purchases.average_ticket


def ledger_record(tenant_id: str, customer_id: str, entry: Entry) -> LedgerRecord:
    return LedgerRecord(
        *LedgerRecord.keys(tenant_id, customer_id, entry.occurred_at.isoformat(), entry.entry_id),
        entry_id=entry.entry_id,
        entry_kind=str(entry.kind),
        occurred_at=entry.occurred_at,
        points=entry.points,
        store_id=entry.store_id,
        sale_id=entry.sale_id,
        lots=entry.lots,
        debt=entry.debt,
    )


def ledger(tenant_id: str, customer_id: str) -> list[LedgerRecord]:
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    return list(LedgerRecord.query(pk, LedgerRecord.sk.startswith("LEDGER#")))


def _shard(customer_id: str) -> int:
    return int(hashlib.sha256(customer_id.encode()).hexdigest()[:8], 16) % INDEX_SHARDS


def save(record: CustomerRecord, aliases: list[AliasRecord]) -> None:
    """The customer (on condition its revision is as read) and its new alias items."""
    from bemtevi.store.sales import Contention

    items: list = [record, *aliases]
    _write_all(items, Contention)


def save_many(records: list[CustomerRecord], aliases: list[AliasRecord]) -> None:
    """Up to 100 items per TransactWrite; each customer on condition of its revision."""
    from bemtevi.store.sales import Contention

    items: list = [*records, *aliases]
    for start in range(0, len(items), 100):
        _write_all(items[start : start + 100], Contention)


def read_many(
    tenant_id: str, identities: list[Identity]
) -> tuple[dict[str, CustomerRecord], dict[tuple[str, str], AliasRecord]]:
    """BatchGetItem (100 keys a call) of the derived customers and of every alias."""
    customer_keys = {CustomerRecord.keys(tenant_id, who.derived_id) for who in identities}
    alias_key_set = {key for who in identities for key in alias_keys(tenant_id, who)}
    found = {
        record.customer_id: record
        for record in CustomerRecord.batch_get(list(customer_keys), consistent_read=True)
    }
    aliases = {
        (alias.pk, alias.sk): alias
        for alias in AliasRecord.batch_get(list(alias_key_set), consistent_read=True)
    }
    return found, aliases


def _write_all(items: list, contention: type[Exception]) -> None:
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    try:
        with TransactWrite(connection=_connection()) as transaction:
            for item in items:
                transaction.save(item)
    except TransactWriteError as error:
        raise contention() from error


def _connection() -> Connection:
    return CustomerRecord._get_connection().connection
