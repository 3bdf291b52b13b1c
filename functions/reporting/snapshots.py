"""Monthly metrics: a snapshot per store and for the network, as of a date, kept month by
month; and what the API and the CLI read back (a store's months, two periods compared).

Cost: a snapshot reads stores x days counter items (one Query per store-day for the
month and the last 30 days, the last-purchase gauge of 90 days by BatchGetItem), the
sparse index of customers with points and one Query of the month's compensation pairs.
It never reads a sale, so it costs the same for 10 or 10 million sales.

The state figures (customers with points, who can redeem, active customers, outstanding
points) are a photograph: taken at the first run for a date and kept by later runs for
the same date, while flows are recounted (a POS that posts late is then included).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bemtevi.domain import metrics as rules
from bemtevi.domain.benefits import cheapest_points
from bemtevi.domain.metrics import NETWORK, MonthSnapshot, Windows
from bemtevi.domain.months import checked_range, parsed_month
from bemtevi.store import metrics as repository
from bemtevi.store import network
from functions.common import tenancy


def snapshot(tenant_id: str, as_of: date, now: datetime | None = None) -> dict:
    """Compute and keep the snapshots of every store and of the network as of the first
    instant of `as_of` (tenant time): the month of the day before, to date."""
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(tenant_id)
    windows = Windows(as_of)
    stores = sorted(store.store_id for store in network.list_stores(tenant_id))
    days = repository.store_days(tenant_id, stores, windows.detail_days)
    previous = repository.saved(tenant_id, [NETWORK, *stores], windows.month)
    if _same_photograph(previous, [NETWORK, *stores], as_of):
        states = {scope: snapshot.state for scope, snapshot in previous.items()}
        observed_on = previous[NETWORK].observed_on
    else:
        states = _states(tenant, tenant_id, stores, windows, days)
        observed_on = tenant.today(now).isoformat()
    owed = rules.compensation_of(repository.compensation_pairs(tenant_id, windows.month))
    per_store = [
        _store_snapshot(store, windows, days, states.get(store, {}), owed, observed_on)
        for store in stores
    ]
    whole = _network_snapshot(per_store, windows, states[NETWORK], owed, observed_on)
    repository.save(tenant_id, [*per_store, whole])
    return {
        "tenant": tenant_id,
        "month": windows.month,
        "as_of": as_of.isoformat(),
        "stores": len(stores),
        "network": rules.view(whole),
    }


def _same_photograph(previous: dict[str, MonthSnapshot], scopes: list[str], as_of: date) -> bool:
    return all(scope in previous and previous[scope].as_of == as_of.isoformat() for scope in scopes)


def _states(
    tenant: tenancy.Tenant,
    tenant_id: str,
    stores: list[str],
    windows: Windows,
    days: dict[tuple[str, str], repository.StoreDay],
) -> dict[str, rules.Counts]:
    active = repository.last_purchases(tenant_id, stores, windows.gauge_days)
    for (store, day), found in days.items():
        if date.fromisoformat(day) >= windows.active_days[0]:
            active[store] += found.last_purchases
    return rules.states(
        repository.holders(tenant_id),
        windows.instant(tenant.zone),
        cheapest_points(list(tenant.benefits), windows.as_of),
        rules.point_value(tenant.benefits, windows.as_of),
        active,
    )


def _store_snapshot(
    store: str,
    windows: Windows,
    days: dict[tuple[str, str], repository.StoreDay],
    state: rules.Counts,
    owed: dict[str, rules.Counts],
    observed_on: str,
) -> MonthSnapshot:
    month = [days[(store, day.isoformat())] for day in windows.month_days]
    window = [days[(store, day.isoformat())] for day in windows.window_days]
    return MonthSnapshot(
        scope=store,
        month=windows.month,
        as_of=windows.as_of.isoformat(),
        observed_on=observed_on,
        month_counts=rules.summed(found.counts for found in month),
        last_30_days=rules.summed(found.counts for found in window),
        state=_full_state(state),
        messages=rules.summed_messages(found.messages for found in month),
        compensation=owed.get(store, {"owed": 0, "receivable": 0}),
    )


def _network_snapshot(
    stores: list[MonthSnapshot],
    windows: Windows,
    state: rules.Counts,
    owed: dict[str, rules.Counts],
    observed_on: str,
) -> MonthSnapshot:
    return MonthSnapshot(
        scope=NETWORK,
        month=windows.month,
        as_of=windows.as_of.isoformat(),
        observed_on=observed_on,
        month_counts=rules.summed(store.month_counts for store in stores),
        last_30_days=rules.summed(store.last_30_days for store in stores),
        state=_full_state(state),
        messages=rules.summed_messages(store.messages for store in stores),
        compensation=owed[NETWORK],
    )


def _full_state(state: rules.Counts) -> rules.Counts:
    return {name: int(state.get(name, 0)) for name in rules.STATE}


def store_months(tenant_id: str, store_id: str, first: str, last: str) -> dict:
    """GET /v1/metrics: a store's own snapshots, month by month."""
    first = parsed_month(first, "from")
    last = parsed_month(last, "to")
    checked_range(first, last, "to")
    found = repository.snapshots(tenant_id, store_id, first, last)
    return {
        "store": store_id,
        "from": first,
        "to": last,
        "months": [rules.view(snapshot) for snapshot in found],
    }


def show(tenant_id: str, store_id: str | None, first: str, last: str) -> dict:
    """`bemtevi metrics show`: a store's (or the network's) snapshots, month by month."""
    scope = _scope(tenant_id, store_id)
    found = repository.snapshots(tenant_id, scope, first, last)
    return {
        "tenant": tenant_id,
        "scope": store_id or "network",
        "from": first,
        "to": last,
        "months": [rules.view(snapshot) for snapshot in found],
    }


def compare(tenant_id: str, store_id: str | None, a: tuple[str, str], b: tuple[str, str]) -> dict:
    """`bemtevi metrics compare`: two ranges of months added up, and the change in %."""
    scope = _scope(tenant_id, store_id)
    found = repository.snapshots(tenant_id, scope, min(a[0], b[0]), max(a[1], b[1]))
    first, second = rules.period(*a, found), rules.period(*b, found)
    return {
        "tenant": tenant_id,
        "scope": store_id or "network",
        "a": {"from": a[0], "to": a[1], "months": list(first.months)},
        "b": {"from": b[0], "to": b[1], "months": list(second.months)},
        "figures": rules.compare(first, second),
    }


def _scope(tenant_id: str, store_id: str | None) -> str:
    if store_id is None:
        network.get_tenant(tenant_id)
        return NETWORK
    network.get_store(tenant_id, store_id)
    return store_id
