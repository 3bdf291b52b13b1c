"""Segments: who a campaign goes to, as filters on the audience entry
(bemtevi.domain.audience), combined with AND. Every filter is optional; a segment without
filters is every customer of the tenant. Within a set filter (stores, categories,
brands) any one of the names will do.

"In the last N days" counts whole weeks (Monday to Sunday, tenant-local): the weeks that
overlap the last N days, so the window reads up to 6 days more than N (the audience keeps
purchases per week). Days since the last purchase and birthdays are exact.

A segment travels as a plain dict (saved segments, forms, the CLI's JSON): ranges as
{"min": n, "max": n} (money in centavos), dates as AAAA-MM-DD, birthdays as
{"month": m} or {"from": "MM-DD", "to": "MM-DD"} (wrapping the year end, e.g.
"12-20" to "01-10"), sets as lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from bemtevi.domain.audience import (
    AudienceEntry,
    brand_tag,
    category_tag,
    store_tag,
    week_of,
)
from bemtevi.domain.templates import CHANNELS
from bemtevi.errors import InvalidInput

# the widest window whose overlapping weeks, at most (N + 6) / 7, the entry keeps (HORIZON_WEEKS)
MAX_WINDOW_DAYS = 180
MAX_NAMES = 200
MAX_NAME_LENGTH = 80
MAX_SEGMENT_NAME = 60
_LIMITS = {
    "days_since_purchase": 3650,
    "purchases": 10_000,
    "spent": 10**11,
    "average_ticket": 10**11,
    "balance": 10**9,
    "available": 10**9,
    "expiring": 10**9,
}
_DAYS = {"window_days": MAX_WINDOW_DAYS, "bought_days": MAX_WINDOW_DAYS, "expiring_days": 365}
_SETS = ("last_store_in", "stores_any", "categories", "brands")


@dataclass(frozen=True)
class Range:
    """Both ends included; None is open."""

    low: int | None = None
    high: int | None = None

    def holds(self, value: int) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Birthday:
    """From one (month, day) to another, both included; wraps the year end when the
    first comes after the last."""

    first: tuple[int, int]
    last: tuple[int, int]

    def holds(self, month_day: tuple[int, int]) -> bool:
        if self.first <= self.last:
            return self.first <= month_day <= self.last
        return month_day >= self.first or month_day <= self.last


@dataclass(frozen=True)
class Segment:
    """`purchases` and `spent` count the last `window_days` days; `categories` and
    `brands`, the last `bought_days`; `expiring`, the points that expire within
    `expiring_days`. `channel`: reachable on it (has the contact, did not opt out)."""

    days_since_purchase: Range | None = None
    purchases: Range | None = None
    spent: Range | None = None
    window_days: int = 30
    average_ticket: Range | None = None
    balance: Range | None = None
    available: Range | None = None
    expiring: Range | None = None
    expiring_days: int = 30
    birthday: Birthday | None = None
    last_store_in: frozenset[str] = frozenset()
    stores_any: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    bought_days: int = 30
    new_since: date | None = None
    channel: str | None = None


def segment_from(data: Mapping[str, Any]) -> Segment:
    """A segment from its dict, every field checked; the error names the field."""
    if not isinstance(data, Mapping):
        raise InvalidInput("invalid_segment", "O segmento deve ser um objeto.", "segment")
    known = {f.name for f in fields(Segment)}
    unknown = sorted(str(name) for name in data if name not in known)
    if unknown:
        raise InvalidInput("unknown_filter", f"Filtro desconhecido: {unknown[0]}.", unknown[0])
    found: dict[str, Any] = {}
    for name, value in data.items():
        if value is not None:
            found[name] = _READERS[_kind_of(name)](value, name)
    return Segment(**found)


def _kind_of(name: str) -> str:
    if name in _LIMITS:
        return "range"
    if name in _DAYS:
        return "days"
    if name in _SETS:
        return "set"
    return name


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput("invalid_number", f"Use um número inteiro de {low} a {high}.", field)
    return value


def _range(value: Any, field: str) -> Range:
    if not isinstance(value, Mapping) or not value or set(value) - {"min", "max"}:
        raise InvalidInput("invalid_range", "Informe mínimo e/ou máximo.", field)
    limit = _LIMITS[field]
    low, high = (
        None if value.get(end) is None else _whole(value[end], f"{field}.{end}", 0, limit)
        for end in ("min", "max")
    )
    if low is not None and high is not None and low > high:
        raise InvalidInput("invalid_range", "O mínimo passa do máximo.", field)
    return Range(low, high)


def _days(value: Any, field: str) -> int:
    return _whole(value, field, 1, _DAYS[field])


def _names(value: Any, field: str) -> frozenset[str]:
    if (
        isinstance(value, str)
        or not isinstance(value, Iterable)
        or not all(
            isinstance(name, str) and 0 < len(name.strip()) <= MAX_NAME_LENGTH for name in value
        )
    ):
        raise InvalidInput("invalid_names", "Informe uma lista de nomes.", field)
    names = frozenset(name.strip() for name in value)
    if not names or len(names) > MAX_NAMES:
        raise InvalidInput("invalid_names", f"Informe de 1 a {MAX_NAMES} nomes.", field)
    return names


def _month_day(value: Any, field: str) -> tuple[int, int]:
    try:
        day = date.fromisoformat(f"2000-{value}") if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or len(value) != 5:
        raise InvalidInput("invalid_month_day", "Use dia e mês no formato MM-DD.", field)
    return day.month, day.day


def _birthday(value: Any, field: str) -> Birthday:
    if isinstance(value, Mapping) and set(value) == {"month"}:
        month = _whole(value["month"], f"{field}.month", 1, 12)
        return Birthday((month, 1), (month, 31))
    if isinstance(value, Mapping) and set(value) == {"from", "to"}:
        return Birthday(
            _month_day(value["from"], f"{field}.from"), _month_day(value["to"], f"{field}.to")
        )
    raise InvalidInput(
        "invalid_birthday", "Aniversário: um mês, ou um período de MM-DD a MM-DD.", field
    )


def _date(value: Any, field: str) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput("invalid_date", "Data inválida: use AAAA-MM-DD.", field)


def _channel(value: Any, field: str) -> str:
    if value not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Canal: {', '.join(CHANNELS)}.", field)
    return str(value)


_READERS: dict[str, Callable[[Any, str], Any]] = {
    "range": _range,
    "days": _days,
    "set": _names,
    "birthday": _birthday,
    "new_since": _date,
    "channel": _channel,
}


def segment_dict(segment: Segment) -> dict[str, Any]:
    """The plain dict `segment_from` reads back: only the filters set (and the windows
    of the filters set)."""
    out: dict[str, Any] = {}
    for item in fields(Segment):
        value = getattr(segment, item.name)
        if isinstance(value, Range):
            out[item.name] = {
                end: number
                for end, number in (("min", value.low), ("max", value.high))
                if number is not None
            }
        elif isinstance(value, Birthday):
            out[item.name] = {"from": _mm_dd(value.first), "to": _mm_dd(value.last)}
        elif isinstance(value, frozenset):
            if value:
                out[item.name] = sorted(value)
        elif isinstance(value, date):
            out[item.name] = value.isoformat()
        elif value is not None and item.name not in _DAYS:
            out[item.name] = value
    for window, uses in (
        ("window_days", ("purchases", "spent")),
        ("bought_days", ("categories", "brands")),
        ("expiring_days", ("expiring",)),
    ):
        if any(name in out for name in uses):
            out[window] = getattr(segment, window)
    return out


def _mm_dd(month_day: tuple[int, int]) -> str:
    return f"{month_day[0]:02d}-{month_day[1]:02d}"


def segment_name(text: Any) -> str:
    """The name a saved segment goes by."""
    name = " ".join(text.split()) if isinstance(text, str) else ""
    if not 0 < len(name) <= MAX_SEGMENT_NAME:
        raise InvalidInput(
            "invalid_name", f"Dê ao segmento um nome de até {MAX_SEGMENT_NAME} letras.", "name"
        )
    return name


def restricted_to(segment: Segment, stores: frozenset[str]) -> Segment:
    """A store manager's segment: only customers who bought at one of `stores`, and
    whatever store filter the segment has, narrowed to them."""
    if not stores:
        raise InvalidInput("no_stores", "Seu acesso não tem lojas.", "stores_any")
    narrowed = replace(
        segment,
        stores_any=segment.stores_any & stores if segment.stores_any else stores,
        last_store_in=segment.last_store_in & stores,
    )
    if not narrowed.stores_any or (segment.last_store_in and not narrowed.last_store_in):
        field = "stores_any" if not narrowed.stores_any else "last_store_in"
        raise InvalidInput("store_out_of_scope", "Escolha lojas sob sua gestão.", field)
    return narrowed


def matches(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    """Whether the customer of `entry` is in the segment on `today` (tenant-local)."""
    return all(check(segment, entry, today) for check in _CHECKS)


def _since_purchase(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    if segment.days_since_purchase is None:
        return True
    last = entry.last_purchase_on
    return last is not None and segment.days_since_purchase.holds((today - last).days)


def _first_week(today: date, days: int) -> int:
    return week_of(today - timedelta(days=days - 1))


def _in_window(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    if segment.purchases is None and segment.spent is None:
        return True
    weeks = []
    if entry.last_purchase_on is not None:
        base, first = week_of(entry.last_purchase_on), _first_week(today, segment.window_days)
        weeks = [week for week in entry.weeks if base - week.offset >= first]
    purchases = sum(week.purchases for week in weeks)
    spent = 100 * sum(week.reais for week in weeks)
    return (segment.purchases is None or segment.purchases.holds(purchases)) and (
        segment.spent is None or segment.spent.holds(spent)
    )


def _amounts(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    pairs = (
        (segment.average_ticket, entry.average_ticket),
        (segment.balance, entry.balance),
        (segment.available, entry.available(today)),
        (
            segment.expiring,
            entry.expiring_by(today + timedelta(days=segment.expiring_days)),
        ),
    )
    return all(wanted is None or wanted.holds(value) for wanted, value in pairs)


def _birthday_check(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    if segment.birthday is None:
        return True
    return entry.birthday is not None and segment.birthday.holds(entry.birthday)


def _stores(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    last = {store_tag(name) for name in segment.last_store_in}
    ever = {store_tag(name) for name in segment.stores_any}
    return (not last or entry.last_store in last) and (not ever or bool(ever & set(entry.stores)))


def _bought(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    if not segment.categories and not segment.brands:
        return True
    recent: set[int] = set()
    if entry.last_purchase_on is not None:
        base, first = week_of(entry.last_purchase_on), _first_week(today, segment.bought_days)
        recent = {item.tag for item in entry.bought if base - item.offset >= first}
    categories = {category_tag(name) for name in segment.categories}
    brands = {brand_tag(name) for name in segment.brands}
    return (not categories or bool(categories & recent)) and (not brands or bool(brands & recent))


def _joined_and_reach(segment: Segment, entry: AudienceEntry, today: date) -> bool:
    joined = segment.new_since is None or (
        entry.joined_on is not None and entry.joined_on >= segment.new_since
    )
    return joined and (segment.channel is None or segment.channel in entry.reach)


_CHECKS: tuple[Callable[[Segment, AudienceEntry, date], bool], ...] = (
    _since_purchase,
    _in_window,
    _amounts,
    _birthday_check,
    _stores,
    _bought,
    _joined_and_reach,
)
