"""When scheduled jobs act. Schedules fire hourly in UTC; each tenant is served in its own
time zone, so a job acts for the tenants whose local clock has reached its hour."""

from __future__ import annotations

from datetime import datetime

METRICS_HOUR = 1
COMPENSATION_HOUR = 2
ROLLUP_HOUR = 0


def monthly_due(local: datetime, hour: int) -> bool:
    """On the 1st, from `hour` on (tenant time): a later firing the same day catches up
    with one that failed, and the job's own "done" check makes the rest no-ops."""
    return local.day == 1 and local.hour >= hour


def daily_due(local: datetime, hour: int) -> bool:
    """Every day from `hour` on (tenant time); the job's "done" check makes later
    firings of the same day no-ops."""
    return local.hour >= hour
