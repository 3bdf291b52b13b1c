"""Reads of the manager's dashboard: only what is already summed (metrics snapshots,
store-month items and store-day counters, the message log), never a customer or a sale, so a
page costs the same for 10 or 10 million sales. Independent reads go out together, in
threads: each is still one round trip."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from bemtevi.domain import rollup
from bemtevi.domain.dashboard import HomeReads, LogLine, Network
from bemtevi.domain.message_kinds import ChannelName, MessageKind
from bemtevi.domain.messaging import LoggedMessage
from bemtevi.domain.metrics import FLOWS, MESSAGE_FIELDS, Counts, MonthSnapshot
from bemtevi.domain.months import month_of
from bemtevi.domain.rollup import DayCounts, MonthTotals, days_after, with_days
from bemtevi.store import messages, metrics, network
from bemtevi.store.models import (
    DayCounterRecord,
    MessageCounterRecord,
    MonthCounterRecord,
    SalesTable,
)

LATEST_MESSAGES = 30


def network_of(tenant_id: str) -> Network:
    """The tenant (GetItem) and its stores (one Query), together."""
    record, stores = _together(
        lambda: network.get_tenant(tenant_id), lambda: network.list_stores(tenant_id)
    )
    return Network(record.name, record.timezone, {store.store_id: store.name for store in stores})


def month_so_far(
    tenant_id: str, stores: list[str], month: str, today: date, messages: bool = False
) -> dict[str, MonthTotals]:
    """Each store's `month` through `today`: its month item (the nightly roll-up) plus
    the day counters (and, with `messages`, the message counters) of the days after the
    day it includes. One BatchGetItem reads the month items with today's counters; a
    store whose item is missing or stale costs one more, for the days it lacks, by key."""
    guessed = [today] if month_of(today) == month else []
    keys = [MonthCounterRecord.keys(tenant_id, store, month) for store in stores]
    found = _by_keys(keys + _day_keys(tenant_id, stores, guessed, messages))
    items = {store: found.get(key) for store, key in zip(stores, keys, strict=True)}
    bases = {store: _totals(item) for store, item in items.items()}
    wanted = {store: days_after(month, base.through, today) for store, base in bases.items()}
    missing = [(store, day) for store, days in wanted.items() for day in days if day != today]
    found |= _by_keys(
        [key for store, day in missing for key in _day_keys(tenant_id, [store], [day], messages)]
    )
    return {
        store: with_days(
            bases[store],
            {day.isoformat(): _day_of(found, tenant_id, store, day) for day in wanted[store]},
        )
        for store in stores
    }


def _day_keys(
    tenant_id: str, stores: list[str], days: list[date], messages: bool
) -> list[tuple[str, str]]:
    """The day counter of each store and day, and its message counters when asked."""
    keys = []
    for store in stores:
        for day in days:
            pk, sk = DayCounterRecord.keys(tenant_id, store, day.isoformat())
            keys.append((pk, sk))
            if messages:
                keys += [(pk, f"MSG#{k}#{c}") for k in MessageKind for c in ChannelName]
    return keys


def _by_keys(keys: list[tuple[str, str]]) -> dict[tuple[str, str], SalesTable]:
    """Items of the sales table by key, 100 a BatchGetItem, the calls at once."""
    chunks = [keys[start : start + 100] for start in range(0, len(keys), 100)]
    found = _together(*(_batch_of(chunk) for chunk in chunks))
    return {(item.pk, item.sk): item for chunk in found for item in chunk}


def _batch_of(keys: list[tuple[str, str]]) -> Callable[[], list[SalesTable]]:
    return lambda: list(SalesTable.batch_get(keys))


def _day_of(
    found: dict[tuple[str, str], SalesTable], tenant_id: str, store: str, day: date
) -> DayCounts:
    pk, sk = DayCounterRecord.keys(tenant_id, store, day.isoformat())
    counter = found.get((pk, sk))
    return DayCounts(
        _flows(counter),
        {
            f"{kind}:{channel}": {name: int(getattr(item, name) or 0) for name in MESSAGE_FIELDS}
            for kind in MessageKind
            for channel in ChannelName
            if isinstance(item := found.get((pk, f"MSG#{kind}#{channel}")), MessageCounterRecord)
        },
    )


def _flows(item: SalesTable | None) -> Counts:
    return {name: int(getattr(item, name, 0) or 0) for name in FLOWS}


def _totals(item: SalesTable | None) -> MonthTotals:
    if not isinstance(item, MonthCounterRecord):
        return MonthTotals()
    messages = {
        day: {key: {name: int(n) for name, n in counts.items()} for key, counts in found.items()}
        for day, found in item.messages.as_dict().items()
    }
    return MonthTotals(_flows(item), messages, item.through)


def saved_months(tenant_id: str, stores: list[str], month: str) -> dict[str, str | None]:
    """The last day each store's month item includes (BatchGetItem; None: no item)."""
    keys = [MonthCounterRecord.keys(tenant_id, store, month) for store in stores]
    found = _by_keys(keys)
    return {store: _totals(found.get(key)).through for store, key in zip(stores, keys, strict=True)}


def save_month(tenant_id: str, store_id: str, month: str, totals: MonthTotals) -> None:
    """The store's month item, whole (a Put): writing the same totals again changes nothing."""
    item = MonthCounterRecord(
        *MonthCounterRecord.keys(tenant_id, store_id, month),
        store_id=store_id,
        month=month,
        through=totals.through,
        messages=totals.messages,
    )
    for name, value in totals.counts.items():
        setattr(item, name, value)
    item.save()


def home(
    tenant_id: str,
    stores: list[str],
    trend_scopes: list[str],
    months: tuple[str, str, str],
    today: date,
) -> HomeReads:
    """Início's reads, at once: the trend's snapshots from `first` to `last` (a Query per
    scope), the stores' snapshots of `last` (BatchGetItem) and their month of `current`
    so far (month_so_far). `months` is (first, last, current)."""
    first, last, current = months
    calls: list[Callable[[], Any]] = [
        lambda: metrics.saved(tenant_id, stores, last) if stores else {},
        lambda: month_so_far(tenant_id, stores, current, today),
    ]
    calls += [_trend_of(tenant_id, scope, first, last) for scope in trend_scopes]
    closed, so_far, *trends = _together(*calls)
    counts = {store: totals.counts for store, totals in so_far.items()}
    return HomeReads([s for found in trends for s in found], closed, counts)


def _trend_of(tenant_id: str, scope: str, first: str, last: str) -> Callable[[], Any]:
    return lambda: metrics.snapshots(tenant_id, scope, first, last)


def snapshots(tenant_id: str, scopes: list[str], first: str, last: str) -> list[MonthSnapshot]:
    """The snapshots of each scope from `first` to `last` (a Query per scope, together)."""
    found = _together(*(_trend_of(tenant_id, scope, first, last) for scope in scopes))
    return [snapshot for scope in found for snapshot in scope]


def message_days(
    tenant_id: str, stores: list[str], month: str, today: date
) -> dict[str, dict[str, Counts]]:
    """Message counters of `month` through `today` by day and "kind:channel", added over
    `stores`: the month items' days plus the counters of the days after them, by key."""
    found = month_so_far(tenant_id, stores, month, today, messages=True)
    return rollup.message_days(found.values(), days_after(month, None, today))


def latest_messages(tenant_id: str, days: list[date], stores: set[str] | None) -> list[LogLine]:
    """The newest messages of the log (a Query per shard and day, newest day first),
    of the given stores (None: all, those of no store too), until LATEST_MESSAGES."""
    found: list[LogLine] = []
    for day in sorted(days, reverse=True):
        logged = [
            _logged(item)
            for item in messages.logged_on(tenant_id, day.isoformat())
            if isinstance(item, LoggedMessage) and (stores is None or item.store_id in stores)
        ]
        found += sorted(logged, key=lambda message: message.at, reverse=True)
        if len(found) >= LATEST_MESSAGES:
            break
    return found[:LATEST_MESSAGES]


def _logged(item: LoggedMessage) -> LogLine:
    return LogLine(
        at=(item.sent_at or item.updated_at or item.created_at).isoformat(),
        kind=item.message_kind,
        channel=item.channel or "",
        status=item.status,
        store_id=item.store_id or "",
        contact=item.contact or "",
        cost=int(item.cost or 0),
        error=item.error or "",
    )


def _together(*calls: Callable[[], Any]) -> list[Any]:
    """Independent reads at once (botocore clients are thread-safe)."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=min(len(calls), 8)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]
