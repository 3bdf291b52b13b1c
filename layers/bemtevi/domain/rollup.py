"""The month so far of a store without a write per sale: the nightly roll-up folds the
store's day counters of the month through yesterday into one month item (with the last
day it includes); a reader adds the day counters of the days after that day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bemtevi.domain.metrics import Counts, summed, summed_messages
from bemtevi.domain.months import first_day, last_day, month_of

# {day: {"kind:channel": counts}}
MessageDays = dict[str, dict[str, Counts]]


@dataclass(frozen=True)
class DayCounts:
    """A store's day: its flows and its message counts by "kind:channel"."""

    counts: Mapping[str, int] = field(default_factory=dict)
    messages: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthTotals:
    """A store's month through `through` (the last day included; None: no day yet)."""

    counts: Counts = field(default_factory=lambda: summed([]))
    messages: MessageDays = field(default_factory=dict)
    through: str | None = None


def days_after(month: str, through: str | None, today: date) -> list[date]:
    """The days of `month` after `through` (from the 1st when None) up to `today`."""
    start = date.fromisoformat(through) + timedelta(days=1) if through else first_day(month)
    end = min(last_day(month), today)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def night_of(on: date) -> tuple[str, date]:
    """What the roll-up run after midnight of `on` folds: yesterday's month, through
    yesterday (on the 1st: the whole previous month)."""
    yesterday = on - timedelta(days=1)
    return month_of(yesterday), yesterday


def with_days(totals: MonthTotals, days: Mapping[str, DayCounts]) -> MonthTotals:
    """`totals` plus the given days ({ISO day: counts}), through the latest of them."""
    if not days:
        return totals
    messages = dict(totals.messages)
    for day, counts in days.items():
        if counts.messages:
            messages[day] = summed_messages([messages.get(day, {}), counts.messages])
    return MonthTotals(
        summed([totals.counts, *(day.counts for day in days.values())]),
        dict(sorted(messages.items())),
        max([*days, *([totals.through] if totals.through else [])]),
    )


def folded(days: Mapping[str, DayCounts], through: date) -> MonthTotals:
    """The month item of a store: its day counters added up, through `through` even when
    the last days had nothing."""
    totals = with_days(MonthTotals(), days)
    return MonthTotals(totals.counts, totals.messages, through.isoformat())


def message_days(found: Iterable[MonthTotals], days: Iterable[date]) -> MessageDays:
    """The stores' message counts by day, added up, of the given days only."""
    wanted = {day.isoformat() for day in days}
    by_day: dict[str, list[Mapping[str, Mapping[str, int]]]] = {}
    for totals in found:
        for day, counts in totals.messages.items():
            if day in wanted:
                by_day.setdefault(day, []).append(counts)
    return {day: summed_messages(by_day[day]) for day in sorted(by_day)}
