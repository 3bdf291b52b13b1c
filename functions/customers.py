"""POST /v1/customers and /v1/customers/batch: create or update customers by CPF, else
phone. A batch of 500 costs at most 25 DynamoDB calls: BatchGetItem for what exists,
TransactWrite (100 items a call) for what changes; a bad item gets its own error and
does not sink the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.errors import BemteviError
from bemtevi.store import customers
from bemtevi.store.models import CustomerRecord
from bemtevi.store.sales import Contention
from functions import tenancy
from functions.auth import StoreIdentity
from functions.sales import MAX_ATTEMPTS, Answer, Busy, apply_person, back_off


def upsert_customer(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> Answer:
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    person = _person(contract.validated("CustomerFields", payload), tenant, now, "")
    who = customers.identity_for(tenant.pepper, person.cpf, person.phone)
    for attempt in range(MAX_ATTEMPTS):
        resolution = customers.find(caller.tenant_id, who)
        record, created = _upserted(caller.tenant_id, resolution, person, now)
        try:
            customers.save(record, resolution.aliases)
        except Contention:
            back_off(attempt)
            continue
        return Answer(
            {"customer_id": record.customer_id, "created": created}, 201 if created else 200
        )
    raise Busy("busy", "Muitas atualizações simultâneas deste cliente; tente de novo.", None)


@dataclass
class _Valid:
    index: int
    person: people.Person
    who: customers.Identity


def upsert_customers(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    batch = contract.validated("CustomerBatchRequest", payload)
    tenant = tenancy.tenant(caller.tenant_id)
    results: list[dict] = [{} for _ in batch["customers"]]
    valid: list[_Valid] = []
    for index, fields in enumerate(batch["customers"]):
        prefix = f"customers.{index}"
        try:
            person = _person(
                contract.validated("CustomerFields", fields, prefix), tenant, now, prefix
            )
        except BemteviError as error:
            results[index] = {"index": index, "status": "error", **error.as_body()}
            continue
        who = customers.identity_for(tenant.pepper, person.cpf, person.phone)
        valid.append(_Valid(index, person, who))
    for attempt in range(MAX_ATTEMPTS):
        try:
            written = _write_batch(caller.tenant_id, valid, now)
        except Contention:
            back_off(attempt)
            continue
        for item, (customer_id, created) in zip(valid, written, strict=True):
            results[item.index] = {
                "index": item.index,
                "status": "ok",
                "customer_id": customer_id,
                "created": created,
            }
        return {"results": results}
    raise Busy("busy", "Clientes do lote mudaram durante a gravação; tente de novo.", None)


def _write_batch(tenant_id: str, valid: list[_Valid], now: datetime) -> list[tuple[str, bool]]:
    """Read all, merge in order (a customer twice in the batch: the later item wins),
    write all."""
    derived, aliases = customers.read_many(tenant_id, [item.who for item in valid])
    records: dict[str, CustomerRecord] = {}
    created_ids: set[str] = set()
    alias_items = {}
    outcome = []
    for item in valid:
        resolution = customers.resolve(
            tenant_id, item.who, derived.get(item.who.derived_id), aliases
        )
        if resolution.customer_id in records:
            resolution.customer = records[resolution.customer_id]
        record, created = _upserted(tenant_id, resolution, item.person, now)
        if created:
            created_ids.add(record.customer_id)
        records[record.customer_id] = record
        for alias in resolution.aliases:
            alias_items[(alias.pk, alias.sk)] = alias
        outcome.append((record.customer_id, record.customer_id in created_ids))
    customers.save_many(list(records.values()), list(alias_items.values()))
    return outcome


def _upserted(
    tenant_id: str, resolution: customers.Resolution, person: people.Person, now: datetime
) -> tuple[CustomerRecord, bool]:
    created = resolution.customer is None
    record = resolution.customer or customers.new_customer(tenant_id, resolution.customer_id, now)
    apply_person(record, person)
    record.updated_at = now
    return record, created


def _person(fields: dict, tenant: tenancy.Tenant, now: datetime, prefix: str) -> people.Person:
    return people.person_from(fields, now.astimezone(tenant.zone).date(), prefix)
