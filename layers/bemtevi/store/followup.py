"""Repository of the follow-up lists (issue 16): the customers due (from the sparse
`bought` and `birthday` indexes, never the whole tenant), the list items and their
day counters per store and salesperson."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from bemtevi.domain.customers import Customer
from bemtevi.domain.messaging import Link
from bemtevi.errors import Conflict
from bemtevi.store.connection import shared_connection
from bemtevi.store.customers import INDEX_SHARDS, customer_of, utc_iso
from bemtevi.store.messages import link_item
from bemtevi.store.models import CustomerRecord, SalesTable, TaskCounterRecord, TaskRecord


def bought_between(tenant_id: str, start: datetime, end: datetime) -> list[Customer]:
    """Customers whose last purchase is in [start, end): one Query per shard."""
    found = []
    for shard in range(INDEX_SHARDS):
        condition = CustomerRecord.bought_at.between(utc_iso(start), utc_iso(end))
        for record in CustomerRecord.bought.query(f"T#{tenant_id}#bought#{shard}", condition):
            if record.bought_at != utc_iso(end):
                found.append(customer_of(record))
    return found


def birthdays(tenant_id: str, month_day: str) -> list[Customer]:
    """Customers born on a month-day (MM-DD): one Query per shard of the sparse index."""
    return [
        customer_of(record)
        for shard in range(INDEX_SHARDS)
        for record in CustomerRecord.birthdays.query(
            f"T#{tenant_id}#birthday#{shard}", CustomerRecord.birthday_md == month_day
        )
    ]


@dataclass(frozen=True)
class Task:
    store_id: str
    seller: str
    day: str
    rank: int
    customer_id: str
    reason: str
    first_name: str
    phone: str | None
    last_purchase_at: datetime | None
    last_store: str | None
    balance: int
    opted_out: bool
    message: str
    outcome: str | None = None
    note: str | None = None


def _record(tenant_id: str, task: Task) -> TaskRecord:
    keys = TaskRecord.keys(
        tenant_id, task.store_id, task.seller, task.day, task.rank, task.customer_id
    )
    return TaskRecord(*keys, tenant_id=tenant_id, **_fields(task))


def _fields(task: Task) -> dict:
    values = dict(task.__dict__)
    values.pop("rank")
    return values


def add(tenant_id: str, task: Task, link: Link | None = None) -> bool:
    """Write an item (with its portal link) and count it as made, on condition it is
    new (False: it was, and nothing is written)."""
    record = _record(tenant_id, task)
    counter = TaskCounterRecord(
        *TaskCounterRecord.keys(tenant_id, task.store_id, task.day, task.seller)
    )
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.save(record, condition=SalesTable.pk.does_not_exist())
            transaction.update(
                counter,
                actions=[
                    TaskCounterRecord.kind.set(TaskCounterRecord),
                    TaskCounterRecord.made.add(1),
                ],
            )
            if link is not None:
                transaction.save(link_item(link))
    except TransactWriteError as error:
        reasons = [r.code if r else None for r in error.cancellation_reasons or []]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            return False
        raise
    return True


def _task(record: TaskRecord) -> Task:
    rank = int(record.sk.split("#")[1])
    return Task(
        store_id=record.store_id,
        seller=record.seller,
        day=record.day,
        rank=rank,
        customer_id=record.customer_id,
        reason=record.reason,
        first_name=record.first_name,
        phone=record.phone,
        last_purchase_at=record.last_purchase_at,
        last_store=record.last_store,
        balance=int(record.balance),
        opted_out=bool(record.opted_out),
        message=record.message,
        outcome=record.outcome,
        note=record.note,
    )


def tasks(tenant_id: str, store_id: str, seller: str, first_day: str, last_day: str) -> list[Task]:
    """One Query: a salesperson's items from `first_day` to `last_day` (both included)."""
    pk = f"T#{tenant_id}#F#{store_id}#{seller}"
    condition = TaskRecord.sk.between(f"{first_day}#", f"{last_day}#~")
    return [_task(record) for record in TaskRecord.query(pk, condition)]


def log(tenant_id: str, task: Task, outcome: str, note: str, reached: bool, now: datetime) -> None:
    """The outcome of an item, once (409 when already logged), with its counters."""
    keys = TaskRecord.keys(
        tenant_id, task.store_id, task.seller, task.day, task.rank, task.customer_id
    )
    counter = TaskCounterRecord(
        *TaskCounterRecord.keys(tenant_id, task.store_id, task.day, task.seller)
    )
    adds: list[Action] = [
        TaskCounterRecord.kind.set(TaskCounterRecord),
        TaskCounterRecord.done.add(1),
        TaskCounterRecord.reached.add(1 if reached else 0),
    ]
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.update(
                TaskRecord(*keys),
                actions=[
                    TaskRecord.outcome.set(outcome),
                    TaskRecord.note.set(note) if note else TaskRecord.note.remove(),
                    TaskRecord.done_at.set(now),
                ],
                condition=SalesTable.pk.exists() & TaskRecord.outcome.does_not_exist(),
            )
            transaction.update(counter, actions=adds)
    except TransactWriteError as error:
        raise Conflict("already_logged", "Este contato já foi registrado.", "outcome") from error


def counters(tenant_id: str, store_id: str, first_day: str, last_day: str) -> list[dict]:
    """One Query: a store's counters per day and salesperson."""
    pk = f"T#{tenant_id}#FK#{store_id}"
    condition = TaskCounterRecord.sk.between(f"{first_day}#", f"{last_day}#~")
    return [
        {
            "day": r.sk.split("#")[0],
            "seller": r.sk.split("#", 1)[1],
            "made": int(r.made),
            "done": int(r.done),
            "reached": int(r.reached),
        }
        for r in TaskCounterRecord.query(pk, condition)
    ]
