"""The scheduled jobs: one dict of kinds for `bemtevi jobs run <kind>` and for the
schedules in app.py. A job takes a tenant and the (tenant-local) date it runs for, and is
idempotent: running it again for the same date changes nothing.

To add a job, add its runner to JOBS (and, if app.py schedules it, a "done" check to
DONE and a schedule entry)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bemtevi.domain.schedule import daily_due, monthly_due
from bemtevi.errors import InvalidInput
from bemtevi.observability import logger

Job = Callable[[str, date], dict]


def _metrics(tenant_id: str, on: date) -> dict:
    from functions.reporting import snapshots

    return snapshots.snapshot(tenant_id, on)


def _compensation(tenant_id: str, on: date) -> dict:
    from functions.reporting import settlement

    return settlement.close_month(tenant_id, on)


def _rollup(tenant_id: str, on: date) -> dict:
    from functions.reporting import rollup

    return rollup.nightly(tenant_id, on)


def _rollup_done(tenant_id: str, on: date) -> bool:
    from functions.reporting import rollup

    return rollup.done(tenant_id, on)


def _metrics_done(tenant_id: str, on: date) -> bool:
    from bemtevi.domain.metrics import NETWORK, Windows
    from bemtevi.store import metrics

    found = metrics.saved(tenant_id, [NETWORK], Windows(on).month).get(NETWORK)
    return found is not None and found.as_of == on.isoformat()


def _compensation_done(tenant_id: str, on: date) -> bool:
    from bemtevi.domain.months import month_of, previous_month
    from bemtevi.store import compensation

    marker = compensation.get_period(tenant_id, previous_month(month_of(on)))
    return marker is not None and marker.lines_written is not None


def _tasks(tenant_id: str, on: date) -> dict:
    """The follow-up lists of the day (issue 16; functions.team.tasks)."""
    from functions.team import tasks

    return tasks.run(tenant_id, on)


def _messages(kind: str) -> Job:
    """A message job as of the tenant's job hour on the date (see functions.messaging.automatic;
    their schedules are in app.py)."""

    def run_messages(tenant_id: str, on: date) -> dict:
        from functions.messaging import automatic

        return automatic.run_job(kind, tenant_id, automatic.as_of(tenant_id, on))

    return run_messages


def _campaigns(tenant_id: str, on: date) -> dict:
    """The campaigns due as of the tenant's job hour on the date (the schedule runs them
    every ten minutes: functions.campaigns.send.send_all)."""
    from functions.campaigns import send_due
    from functions.messaging import automatic

    return send_due(tenant_id, automatic.as_of(tenant_id, on)).as_dict()


JOBS: dict[str, Job] = {
    "metrics": _metrics,
    "compensation": _compensation,
    "rollup": _rollup,
    "welcome": _messages("welcome"),
    "reminder": _messages("reminder"),
    "expiry": _messages("expiry"),
    "tasks": _tasks,
    "campaigns": _campaigns,
}
DONE: dict[str, Callable[[str, date], bool]] = {
    "metrics": _metrics_done,
    "compensation": _compensation_done,
    "rollup": _rollup_done,
}


def run(kind: str, tenant_id: str, on: date) -> dict:
    """Run one job for one tenant, as of the tenant-local date `on`."""
    if kind not in JOBS:
        raise InvalidInput("unknown_job", f"Tarefa desconhecida: {kind}.", "kind")
    from bemtevi.store import network

    network.get_tenant(tenant_id)
    return {"job": kind, **JOBS[kind](tenant_id, on)}


def run_monthly(kind: str, now: datetime, hour: int) -> list[dict]:
    """A schedule's firing: the job for every tenant whose local time is the 1st from
    `hour` on and that has not done it yet."""
    return _run_due(kind, now, lambda local: monthly_due(local, hour))


def run_nightly(kind: str, now: datetime, hour: int) -> list[dict]:
    """A schedule's firing: the job for every tenant whose local time is `hour` or later
    and that has not done it yet today."""
    return _run_due(kind, now, lambda local: daily_due(local, hour))


def _run_due(kind: str, now: datetime, due: Callable[[datetime], bool]) -> list[dict]:
    """The job for every tenant whose local time is `due` and that has not done it yet.
    A tenant that fails does not stop the others; the failure is logged and raised at
    the end, so the invocation fails."""
    from zoneinfo import ZoneInfo

    from bemtevi.store import network

    results, failed = [], []
    for tenant_id in network.tenant_ids():
        local = now.astimezone(ZoneInfo(network.get_tenant(tenant_id).timezone))
        if not due(local) or DONE[kind](tenant_id, local.date()):
            continue
        try:
            results.append(run(kind, tenant_id, local.date()))
        except Exception:
            logger.exception("scheduled job failed", extra={"job": kind, "tenant": tenant_id})
            failed.append(tenant_id)
    if failed:
        raise RuntimeError(f"{kind} failed for {len(failed)} tenant(s): {', '.join(failed)}")
    return results
