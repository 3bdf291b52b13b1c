"""Repository of manual adjustments: the customer and the adjustment's own record read
together, and the adjustment written with the customer's points, its ledger entries and
the store-day counters in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactGet, TransactWrite

from bemtevi.domain.customers import Customer
from bemtevi.domain.ledger import Entry
from bemtevi.store import customers, sales
from bemtevi.store.connection import shared_connection
from bemtevi.store.models import AdjustmentRecord, CustomerRecord, CustomersTable, LedgerRecord
from bemtevi.store.transactions import Labelled, classify


@dataclass(frozen=True)
class Recorded:
    """An adjustment as recorded: what a repeat of it answers (a JSON text)."""

    adjustment_id: str
    response: str


@dataclass(frozen=True)
class AdjustmentWrite:
    """Everything an adjustment writes, all or nothing. `counters`: per store, the day
    counters to add to (e.g. {"centro": {"points_adjusted": 50}})."""

    customer: Customer
    adjustment_id: str
    points: int
    reason: str
    store_id: str
    actor: str
    occurred_at: datetime
    response: str
    entries: tuple[Entry, ...]
    day: str
    counters: dict[str, dict[str, int]]


def read(
    tenant_id: str, customer_id: str, adjustment_id: str
) -> tuple[Customer | None, Recorded | None]:
    """One TransactGet: the customer and the adjustment's record (a repeat stops there)."""
    with TransactGet(connection=shared_connection()) as transaction:
        customer = transaction.get(CustomerRecord, *CustomerRecord.keys(tenant_id, customer_id))
        record = transaction.get(
            AdjustmentRecord, *AdjustmentRecord.keys(tenant_id, customer_id, adjustment_id)
        )
    found = customers.result_of(record)
    recorded = None if found is None else Recorded(found.adjustment_id, found.response)
    return customers.customer_or_none(customers.result_of(customer)), recorded


def commit(write: AdjustmentWrite) -> None:
    """The adjustment's record (on condition it is new: AlreadyRecorded otherwise), the
    customer's points (on condition the customer is as read: Contention otherwise), the
    ledger entries and the counters."""
    customer = write.customer
    record = customers.record_of(customer)
    adjustment = AdjustmentRecord(
        *AdjustmentRecord.keys(customer.tenant_id, customer.customer_id, write.adjustment_id),
        tenant_id=customer.tenant_id,
        customer_id=customer.customer_id,
        adjustment_id=write.adjustment_id,
        points=write.points,
        reason=write.reason,
        store_id=write.store_id,
        actor=write.actor,
        occurred_at=write.occurred_at,
        response=write.response,
    )
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            labelled = Labelled(transaction)
            labelled.save(adjustment, "record", CustomersTable.pk.does_not_exist())
            labelled.update(record, "customer", customers.points_actions(record))
            for entry in write.entries:
                ledger = customers.ledger_record(customer.tenant_id, customer.customer_id, entry)
                labelled.save(ledger, "ledger", LedgerRecord.pk.does_not_exist())
            for store_id, increments in write.counters.items():
                item, actions = sales.day_counts(
                    customer.tenant_id, store_id, write.day, **increments
                )
                labelled.update(item, "counter", actions)
    except TransactWriteError as error:
        raise classify(error, labelled.order, record_is_new=True) from error
