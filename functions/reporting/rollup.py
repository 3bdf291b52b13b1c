"""The nightly roll-up of each store's month so far: after midnight (tenant time) it
folds the store's day counters of the month through yesterday, flows and per-day message
counts, into the store's month item; on the 1st that completes the month that ended.
Sales never write the month item, so a sale costs the same as before the dashboard.

Idempotent: the item is recomputed from the day counters and written whole (never
ADDed), so a rerun writes the same item. Resumable: a store whose item already includes
the night's last day is skipped, so a run that died goes on where it stopped and a whole
night reads each store's day counters of the month once (a Query per store-day, on its
known partition key)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bemtevi.domain.months import month_of
from bemtevi.domain.rollup import DayCounts, days_after, folded, night_of
from bemtevi.store import figures, metrics, network


def roll_up(tenant_id: str, through: date) -> dict:
    """Fold every store's day counters of `through`'s month, from the 1st to `through`,
    into its month item."""
    month = month_of(through)
    stores = sorted(store.store_id for store in network.list_stores(tenant_id))
    saved = figures.saved_months(tenant_id, stores, month)
    due = [store for store in stores if saved[store] != through.isoformat()]
    days = days_after(month, None, through)
    found = metrics.store_days(tenant_id, due, days) if due else {}
    for store in due:
        mine = {
            day: DayCounts(d.counts, d.messages) for (of, day), d in found.items() if of == store
        }
        figures.save_month(tenant_id, store, month, folded(mine, through))
    return {
        "tenant": tenant_id,
        "month": month,
        "through": through.isoformat(),
        "stores": len(stores),
        "rolled_up": len(due),
    }


def on_demand(tenant_id: str, through: date | None = None, now: datetime | None = None) -> dict:
    """`bemtevi metrics rollup`: through `through`, by default yesterday (tenant time)."""
    zone = ZoneInfo(network.get_tenant(tenant_id).timezone)
    if through is None:
        _, through = night_of((now or datetime.now(UTC)).astimezone(zone).date())
    return roll_up(tenant_id, through)


def nightly(tenant_id: str, on: date) -> dict:
    """The run after midnight of `on` (tenant time): through yesterday."""
    _, yesterday = night_of(on)
    return roll_up(tenant_id, yesterday)


def done(tenant_id: str, on: date) -> bool:
    """Whether every store's month item already includes the day before `on`."""
    month, yesterday = night_of(on)
    stores = [store.store_id for store in network.list_stores(tenant_id)]
    saved = figures.saved_months(tenant_id, stores, month)
    return all(through == yesterday.isoformat() for through in saved.values())
