"""Months as "YYYY-MM" strings, the way periods, snapshots and invoices are keyed: they
sort as text in calendar order."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bemtevi.errors import InvalidInput

_MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])", re.ASCII)
MAX_RANGE_MONTHS = 36


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def next_month(month: str) -> str:
    start = first_day(month)
    return month_of((start + timedelta(days=32)).replace(day=1))


def previous_month(month: str) -> str:
    return month_of(first_day(month) - timedelta(days=1))


def last_day(month: str) -> date:
    return first_day(next_month(month)) - timedelta(days=1)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def parsed_month(text: str, field: str) -> str:
    if not isinstance(text, str) or not _MONTH.fullmatch(text):
        raise InvalidInput(
            "invalid_month", "Use o mês no formato AAAA-MM, de 2000-01 a 2099-12.", field
        )
    return text


def parsed_range(text: str, field: str) -> tuple[str, str]:
    """ "2026-06..2026-08" (or a single month) into its first and last month."""
    first, _, last = text.partition("..")
    first = parsed_month(first.strip(), field)
    last = parsed_month(last.strip(), field) if last else first
    return checked_range(first, last, field)


def checked_range(first: str, last: str, field: str) -> tuple[str, str]:
    if last < first:
        raise InvalidInput("invalid_range", "O mês final vem antes do inicial.", field)
    if len(months_between(first, last)) > MAX_RANGE_MONTHS:
        raise InvalidInput(
            "range_too_long", f"Peça no máximo {MAX_RANGE_MONTHS} meses de uma vez.", field
        )
    return first, last
