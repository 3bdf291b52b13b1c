"""POST /v1/customers and /v1/customers/batch: create or update customers by CPF, else
phone. A batch of 500 costs at most 25 DynamoDB calls: BatchGetItem for what exists,
TransactWrite (100 items a call) for what changes; a bad item gets its own error and
does not sink the others."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.errors import BemteviError
from bemtevi.store import customers
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.loyalty.sales import Answer, apply_person


def upsert_customer(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> Answer:
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    person = _person(contract.validated("CustomerFields", payload), tenant, now, "")
    who = customers.identity_for(tenant.pepper, person.cpf, person.phone)

    def attempt() -> Answer:
        resolution = customers.find(caller.tenant_id, who)
        record, created = _upserted(caller.tenant_id, resolution, person, who, now)
        customers.save([record], resolution)
        return Answer(
            {"customer_id": record.customer_id, "created": created}, 201 if created else 200
        )

    return until_written(attempt)


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
    written = until_written(lambda: _write_batch(caller.tenant_id, valid, now))
    for item, (customer_id, created) in zip(valid, written, strict=True):
        results[item.index] = {
            "index": item.index,
            "status": "ok",
            "customer_id": customer_id,
            "created": created,
        }
    return {"results": results}


def _write_batch(tenant_id: str, valid: list[_Valid], now: datetime) -> list[tuple[str, bool]]:
    """Read all, resolve in order as single upserts would (each item sees the aliases and
    customers the earlier ones made), then write the net changes. Unlike a single upsert,
    the batch does not re-check the CPF aliases it found missing (500 more actions): a
    sale attaching the same new CPF to a phone-only customer at that very moment could
    leave that CPF on two customers."""
    derived, stored_aliases = customers.read_many(tenant_id, [item.who for item in valid])
    known = _Known(tenant_id, derived, {item.who.derived_id for item in valid})
    net = customers.NetAliases(stored_aliases, dict(stored_aliases))
    created_ids: set[str] = set()
    outcome = []
    for item in valid:
        resolution = customers.resolve(
            tenant_id, item.who, known.load(item.who.derived_id), net.aliases, known.load
        )
        record, created = _upserted(tenant_id, resolution, item.person, item.who, now)
        if created:
            created_ids.add(record.customer_id)
        known.records[record.customer_id] = record
        for other in resolution.released:
            known.records[other.customer_id] = other
        net.apply(resolution)
        outcome.append((record.customer_id, record.customer_id in created_ids))
    customers.save_batch(list(known.records.values()), net.resolution())
    return outcome


@dataclass
class _Known:
    """The customers a batch has read or changed so far, by id: what it changed wins,
    then what the batch read, then a read of its own (for a customer an alias names)."""

    tenant_id: str
    derived: dict[str, people.Customer]
    read_ids: set[str]
    records: dict[str, people.Customer] = field(default_factory=dict)

    def load(self, customer_id: str) -> people.Customer | None:
        if customer_id in self.records:
            return self.records[customer_id]
        if customer_id in self.read_ids:
            return self.derived.get(customer_id)
        found = customers.find_by_id(self.tenant_id, customer_id)
        if found is not None:
            self.records[customer_id] = found
        return found


def _upserted(
    tenant_id: str,
    resolution: customers.Resolution,
    person: people.Person,
    who: customers.Identity,
    now: datetime,
) -> tuple[people.Customer, bool]:
    created = resolution.customer is None
    record = resolution.customer or customers.new_customer(tenant_id, resolution.customer_id, now)
    return replace(apply_person(record, person, who), updated_at=now), created


def _person(fields: dict, tenant: tenancy.Tenant, now: datetime, prefix: str) -> people.Person:
    return people.person_from(fields, now.astimezone(tenant.zone).date(), prefix)
