"""Repository of metrics: what a snapshot reads (the per-store-per-day counters, the
sparse index of customers with points, a period's compensation pairs) and the snapshots
it keeps, one item per scope (a store, or NETWORK) and month. Never a sale."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from bemtevi.domain.ledger import Points
from bemtevi.domain.metrics import FLOWS, MESSAGE_FIELDS, Holder, MonthSnapshot
from bemtevi.store.customers import INDEX_SHARDS
from bemtevi.store.models import (
    CompensationRecord,
    CustomerRecord,
    DayCounterRecord,
    MessageCounterRecord,
    MetricsSnapshotRecord,
    SalesTable,
)

READERS = 8
HOLDER_ATTRIBUTES = ["pk", "sk", "kind", "last_store", "lots"]
GAUGE_ATTRIBUTES = ["pk", "sk", "last_purchases"]

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class StoreDay:
    """What a store did on a day: its counters and its message counters by
    "kind:channel"."""

    counts: dict[str, int] = field(default_factory=dict)
    last_purchases: int = 0
    messages: dict[str, dict[str, int]] = field(default_factory=dict)


def store_days(
    tenant_id: str, stores: list[str], days: list[date]
) -> dict[tuple[str, str], StoreDay]:
    """One Query per store and day: the day counter and the message counters together."""
    keys = [(store, day.isoformat()) for store in stores for day in days]
    found = _in_parallel(lambda key: _store_day(tenant_id, *key), keys)
    return dict(zip(keys, found, strict=True))


def _store_day(tenant_id: str, store_id: str, day: str) -> StoreDay:
    pk, _ = DayCounterRecord.keys(tenant_id, store_id, day)
    result = StoreDay()
    for item in SalesTable.query(pk):
        if isinstance(item, DayCounterRecord):
            result.counts = {name: int(getattr(item, name) or 0) for name in FLOWS}
            result.last_purchases = int(item.last_purchases or 0)
        elif isinstance(item, MessageCounterRecord):
            counts = {name: int(getattr(item, name) or 0) for name in MESSAGE_FIELDS}
            result.messages[f"{item.message_kind}:{item.channel}"] = counts
    return result


def last_purchases(tenant_id: str, stores: list[str], days: list[date]) -> dict[str, int]:
    """The last-purchase gauge of older days, per store: BatchGetItem of the day
    counters (100 a call), that one attribute only."""
    keys = [
        DayCounterRecord.keys(tenant_id, store, day.isoformat()) for store in stores for day in days
    ]
    totals = dict.fromkeys(stores, 0)
    if not keys:
        return totals
    for item in DayCounterRecord.batch_get(keys, attributes_to_get=GAUGE_ATTRIBUTES):
        store = item.pk.split("#D#", 1)[1].rsplit("#", 1)[0]
        totals[store] = totals.get(store, 0) + int(item.last_purchases or 0)
    return totals


def holders(tenant_id: str) -> Iterator[Holder]:
    """Every customer with points, from the sparse `expiry` index (8 shards, read in
    parallel): the store they last bought at and their live lots."""
    shards = [f"T#{tenant_id}#expiry#{shard}" for shard in range(INDEX_SHARDS)]
    for shard in _in_parallel(_holders_of, shards):
        yield from shard


def _holders_of(partition: str) -> list[Holder]:
    return [
        Holder(record.last_store, Points(tuple(record.lots or [])))
        for record in CustomerRecord.expiring.query(partition, attributes_to_get=HOLDER_ATTRIBUTES)
    ]


def compensation_pairs(tenant_id: str, month: str) -> list[tuple[str, str, int]]:
    """(payer, receiver, amount) of every pair item of a period, late ones included."""
    pk, _ = CompensationRecord.keys(tenant_id, month, "", "")
    return [(r.payer, r.receiver, int(r.amount)) for r in CompensationRecord.query(pk)]


def saved(tenant_id: str, scopes: Iterable[str], month: str) -> dict[str, MonthSnapshot]:
    """The month's snapshots already kept, by scope (BatchGetItem)."""
    keys = [MetricsSnapshotRecord.keys(tenant_id, scope, month) for scope in scopes]
    records = MetricsSnapshotRecord.batch_get(keys, consistent_read=True)
    return {record.scope: _snapshot(record) for record in records}


def save(tenant_id: str, snapshots: list[MonthSnapshot]) -> None:
    """BatchWriteItem: each item is a snapshot's whole content, so writing it again as of
    the same date with the same counts writes the same item."""
    with MetricsSnapshotRecord.batch_write() as batch:
        for snapshot in snapshots:
            batch.save(
                MetricsSnapshotRecord(
                    *MetricsSnapshotRecord.keys(tenant_id, snapshot.scope, snapshot.month),
                    scope=snapshot.scope,
                    month=snapshot.month,
                    as_of=snapshot.as_of,
                    observed_on=snapshot.observed_on,
                    month_counts=snapshot.month_counts,
                    last_30_days=snapshot.last_30_days,
                    state=snapshot.state,
                    messages=snapshot.messages,
                    compensation=snapshot.compensation,
                )
            )


def snapshots(tenant_id: str, scope: str, first: str, last: str) -> list[MonthSnapshot]:
    """A scope's snapshots from month `first` to `last` (one Query)."""
    pk, _ = MetricsSnapshotRecord.keys(tenant_id, scope, "")
    records = MetricsSnapshotRecord.query(pk, MetricsSnapshotRecord.sk.between(first, last))
    return [_snapshot(record) for record in records]


def _snapshot(record: MetricsSnapshotRecord) -> MonthSnapshot:
    return MonthSnapshot(
        scope=record.scope,
        month=record.month,
        as_of=record.as_of,
        observed_on=record.observed_on,
        month_counts=_ints(record.month_counts.as_dict()),
        last_30_days=_ints(record.last_30_days.as_dict()),
        state=_ints(record.state.as_dict()),
        messages={key: _ints(value) for key, value in record.messages.as_dict().items()},
        compensation=_ints(record.compensation.as_dict()),
    )


def _ints(values: dict) -> dict[str, int]:
    return {name: int(value) for name, value in values.items()}


def _in_parallel(work: Callable[[Item], Result], items: list[Item]) -> list[Result]:
    """Independent reads, a few at a time (botocore clients are thread-safe)."""
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return list(pool.map(work, items))
