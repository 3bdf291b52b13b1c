"""Reads of the manager's dashboard: only what is already summed (metrics snapshots,
store-month and store-day counters, the message log), never a customer or a sale, so a
page costs the same for 10 or 10 million sales. Independent reads go out together, in
threads: each is still one round trip."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from bemtevi.domain.dashboard import HomeReads, LogLine, Network
from bemtevi.domain.messaging import LoggedMessage
from bemtevi.domain.metrics import FLOWS, Counts, MonthSnapshot
from bemtevi.store import messages, metrics, network
from bemtevi.store.models import MonthCounterRecord

LATEST_MESSAGES = 30


def network_of(tenant_id: str) -> Network:
    """The tenant (GetItem) and its stores (one Query), together."""
    record, stores = _together(
        lambda: network.get_tenant(tenant_id), lambda: network.list_stores(tenant_id)
    )
    return Network(record.name, record.timezone, {store.store_id: store.name for store in stores})


def month_counters(tenant_id: str, stores: list[str], month: str) -> dict[str, Counts]:
    """Each store's month-so-far counters (BatchGetItem, 100 a call); zero where none."""
    found = {store: dict.fromkeys(FLOWS, 0) for store in stores}
    keys = [MonthCounterRecord.keys(tenant_id, store, month) for store in stores]
    for record in MonthCounterRecord.batch_get(keys) if keys else []:
        found[record.store_id] = {name: int(getattr(record, name) or 0) for name in FLOWS}
    return found


def home(
    tenant_id: str, stores: list[str], trend_scopes: list[str], months: tuple[str, str, str]
) -> HomeReads:
    """Início's reads, at once: the trend's snapshots from `first` to `last` (a Query per
    scope), the stores' snapshots of `last` (BatchGetItem) and their counters of
    `current` (BatchGetItem). `months` is (first, last, current)."""
    first, last, current = months
    calls: list[Callable[[], Any]] = [
        lambda: metrics.saved(tenant_id, stores, last) if stores else {},
        lambda: month_counters(tenant_id, stores, current),
    ]
    calls += [_trend_of(tenant_id, scope, first, last) for scope in trend_scopes]
    closed, so_far, *trends = _together(*calls)
    return HomeReads([s for found in trends for s in found], closed, so_far)


def _trend_of(tenant_id: str, scope: str, first: str, last: str) -> Callable[[], Any]:
    return lambda: metrics.snapshots(tenant_id, scope, first, last)


def snapshots(tenant_id: str, scopes: list[str], first: str, last: str) -> list[MonthSnapshot]:
    """The snapshots of each scope from `first` to `last` (a Query per scope, together)."""
    found = _together(*(_trend_of(tenant_id, scope, first, last) for scope in scopes))
    return [snapshot for scope in found for snapshot in scope]


def message_days(
    tenant_id: str, stores: list[str], days: list[date]
) -> dict[str, dict[str, Counts]]:
    """Message counters by day and "kind:channel", added over `stores` (a Query per
    store-day: the day's counter partition)."""
    found: dict[str, dict[str, Counts]] = {}
    for (_, day), store_day in metrics.store_days(tenant_id, stores, days).items():
        into = found.setdefault(day, {})
        for key, counts in store_day.messages.items():
            into[key] = {name: into.get(key, {}).get(name, 0) + n for name, n in counts.items()}
    return found


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
