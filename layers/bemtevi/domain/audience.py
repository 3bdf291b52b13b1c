"""The audience entry: what the audience index keeps per customer, exactly what segments
filter on (bemtevi.domain.segments), in a compact binary attribute so that an index entry,
keys included, stays within 300 bytes.

Bounded whatever the customer's history (docs/campaigns.md explains each choice):
- purchases and spend are kept per week (Monday to Sunday, tenant-local) for the
  `HORIZON_WEEKS` weeks up to the week of the last purchase; older weeks are dropped.
  A week's spend is kept in whole reais (a sale's net total rounded half-even);
- categories and brands bought are kept as 19-bit tags with the week they were last
  bought, at most `MAX_BOUGHT`, most recent first (beyond, the least recent go);
- stores ever bought at are 24-bit tags, at most `MAX_STORES`, most recent purchase first:
  the first is the store of the last purchase (beyond, the least recent go);
- points still pending are one figure, with the day the last of them clears (available
  points are counted low until then); points expiring, the `MAX_EXPIRING` nearest days.

Tags are keyed hashes of the name (blake2b): a segment compares tags, so two names that
share a tag (about 1 in 500,000 for categories, 1 in 16 million for stores) are taken for
each other. The index is a pre-filter: the send path re-reads the customer item and checks
the store scope and the opt-outs exactly.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

from bemtevi.domain.customers import Customer
from bemtevi.domain.message_kinds import ChannelName

HORIZON_WEEKS = 27
MAX_STORES = 20
MAX_BOUGHT = 30
MAX_EXPIRING = 3
STORE_TAG_BITS = 24
BOUGHT_TAG_BITS = 19
VERSION = 1
ATTRIBUTE = "au"
"""The customer item's attribute (and the index's only projected one) holding the entry:
attribute names count in DynamoDB's item size, so it is short."""
SHARD_KEY = "ak"
DAY_ZERO = date(2000, 1, 1)
WEEK_ZERO = date(1999, 12, 27)  # a Monday: weeks run Monday to Sunday
_CHANNEL_BITS = {ChannelName.SMS: 1, ChannelName.EMAIL: 2, ChannelName.WHATSAPP: 4}


@dataclass(frozen=True)
class Week:
    """Purchases in one week: `offset` weeks before the week of the last purchase."""

    offset: int
    purchases: int
    reais: int


@dataclass(frozen=True)
class Bought:
    """A category (or brand) tag and how many weeks before the last purchase's week it
    was last bought."""

    tag: int
    offset: int


@dataclass(frozen=True)
class AudienceEntry:
    """`spent` is lifetime centavos (the average ticket is spent // visits); `reach`, the
    channels the customer has a contact on and did not opt out of; `birthday`, (month,
    day); `pending`, the points not yet available and the day the last of them clears
    (or nothing); `expiring`, (day, points) of the nearest expiry days, earliest first."""

    joined_on: date | None = None
    last_purchase_on: date | None = None
    visits: int = 0
    spent: int = 0
    balance: int = 0
    birthday: tuple[int, int] | None = None
    reach: frozenset[str] = frozenset()
    stores: tuple[int, ...] = ()
    weeks: tuple[Week, ...] = ()
    bought: tuple[Bought, ...] = ()
    pending: tuple[tuple[date, int], ...] = ()
    expiring: tuple[tuple[date, int], ...] = ()

    @property
    def average_ticket(self) -> int:
        return self.spent // self.visits if self.visits else 0

    @property
    def last_store(self) -> int | None:
        return self.stores[0] if self.stores else None

    def available(self, today: date) -> int:
        """Points past their pending period (as far as the entry knows)."""
        return max(0, self.balance - sum(points for day, points in self.pending if day > today))

    def expiring_by(self, last_day: date) -> int:
        return sum(points for day, points in self.expiring if day <= last_day)


def _normal(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def _tag(kind: str, name: str, bits: int) -> int:
    digest = hashlib.blake2b(f"{kind}:{_normal(name)}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> (32 - bits)


def store_tag(store_id: str) -> int:
    digest = hashlib.blake2b(f"store:{store_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> (32 - STORE_TAG_BITS)


def category_tag(category: str) -> int:
    """Case and accents do not matter: "Roupas" and "roupas" are one category."""
    return _tag("category", category, BOUGHT_TAG_BITS)


def brand_tag(brand: str) -> int:
    return _tag("brand", brand, BOUGHT_TAG_BITS)


def week_of(day: date) -> int:
    return (day - WEEK_ZERO).days // 7


def _reais(centavos: int) -> int:
    return int((Decimal(centavos) / 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def with_sale(
    entry: AudienceEntry,
    day: date,
    net_total: int,
    store_id: str,
    categories: Iterable[str] = (),
    brands: Iterable[str] = (),
) -> AudienceEntry:
    """The entry after a sale on `day` (tenant-local). A sale posted late (offline POS)
    counts in its own week but does not become the last purchase."""
    latest = entry.last_purchase_on is None or day >= entry.last_purchase_on
    last = day if latest or entry.last_purchase_on is None else entry.last_purchase_on
    shift = week_of(last) - week_of(entry.last_purchase_on or last)
    offset = week_of(last) - week_of(day)
    tags = {category_tag(name) for name in categories} | {brand_tag(name) for name in brands}
    bought = [Bought(b.tag, b.offset + shift) for b in entry.bought]
    bought += [Bought(tag, offset) for tag in tags]
    return replace(
        entry,
        joined_on=min(entry.joined_on or day, day),
        last_purchase_on=last,
        visits=entry.visits + 1,
        spent=entry.spent + net_total,
        stores=_stores_after(entry.stores, store_tag(store_id), latest),
        weeks=_weeks_after(entry.weeks, shift, offset, _reais(net_total)),
        bought=_latest_bought(bought),
    )


def _stores_after(stores: tuple[int, ...], tag: int, latest: bool) -> tuple[int, ...]:
    if latest:
        return (tag, *(other for other in stores if other != tag))[:MAX_STORES]
    return stores if tag in stores else (*stores, tag)[:MAX_STORES]


def _weeks_after(weeks: tuple[Week, ...], shift: int, offset: int, reais: int) -> tuple[Week, ...]:
    """The weeks moved `shift` weeks back (a newer last purchase), with one purchase of
    `reais` added `offset` weeks before the last purchase's week, inside the horizon."""
    kept = {w.offset + shift: replace(w, offset=w.offset + shift) for w in weeks}
    was = kept.get(offset, Week(offset, 0, 0))
    kept[offset] = Week(offset, was.purchases + 1, was.reais + reais)
    return tuple(
        sorted((w for w in kept.values() if w.offset < HORIZON_WEEKS), key=lambda w: w.offset)
    )


def _latest_bought(bought: list[Bought]) -> tuple[Bought, ...]:
    """Each tag once, at its most recent week, inside the horizon, most recent first."""
    best: dict[int, int] = {}
    for item in bought:
        if item.offset < HORIZON_WEEKS:
            best[item.tag] = min(item.offset, best.get(item.tag, item.offset))
    ordered = sorted(best.items(), key=lambda pair: (pair[1], pair[0]))
    return tuple(Bought(tag, offset) for tag, offset in ordered[:MAX_BOUGHT])


def with_return(entry: AudienceEntry, sale_day: date, amount: int) -> AudienceEntry:
    """A return takes `amount` centavos off the lifetime spend and off the week of its
    sale (while that week is kept); the purchase still counts as a visit."""
    weeks = entry.weeks
    if entry.last_purchase_on is not None:
        offset = week_of(entry.last_purchase_on) - week_of(sale_day)
        weeks = tuple(
            replace(w, reais=max(0, w.reais - _reais(amount))) if w.offset == offset else w
            for w in entry.weeks
        )
    return replace(entry, spent=max(0, entry.spent - amount), weeks=weeks)


def refreshed(
    entry: AudienceEntry, customer: Customer, now: datetime, zone: tzinfo
) -> AudienceEntry:
    """The entry with what the customer item says now: contact and opt-outs, birthday,
    points (balance, pending, expiring) and, for a customer indexed for the first time,
    when they joined and the stores they bought at."""

    def local(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    today = local(now)
    live = [lot for lot in customer.lots if lot.remaining > 0]
    pending = [lot for lot in live if local(lot.pending_until) > today]
    expiring: dict[date, int] = {}
    for lot in live:
        expiring[local(lot.expires_at)] = expiring.get(local(lot.expires_at), 0) + lot.remaining
    cleared = max((local(lot.pending_until) for lot in pending), default=None)
    joined = customer.first_purchase_at or customer.created_at
    known = set(entry.stores)
    missing = sorted(store_tag(s) for s in customer.stores_seen() if store_tag(s) not in known)
    return replace(
        entry,
        joined_on=entry.joined_on or (local(joined) if joined else None),
        balance=customer.balance,
        birthday=_month_day(customer.birthday),
        reach=_reach(customer),
        stores=(*entry.stores, *missing)[:MAX_STORES],
        pending=((cleared, sum(lot.remaining for lot in pending)),) if cleared else (),
        expiring=tuple(sorted(expiring.items()))[:MAX_EXPIRING],
    )


def _month_day(birthday: str | None) -> tuple[int, int] | None:
    if not birthday:
        return None
    day = date.fromisoformat(birthday)
    return day.month, day.day


def _reach(customer: Customer) -> frozenset[str]:
    contact = {
        ChannelName.SMS: bool(customer.phone),
        ChannelName.WHATSAPP: bool(customer.phone),
        ChannelName.EMAIL: bool(customer.email),
    }
    out = customer.opted_out()
    return frozenset(str(ch) for ch, has in contact.items() if has and ch not in out)


def encode(entry: AudienceEntry) -> bytes:
    """The entry as the bytes of the `au` attribute: the version and the channels' bits
    in one byte,
    then unsigned LEB128 varints, fixed-width tags, and a 32-bit map of the weeks kept
    followed by each week's figures."""
    reach = sum(_CHANNEL_BITS[ChannelName(ch)] for ch in entry.reach)
    out = bytearray([VERSION << 3 | reach])
    for number in (
        _day_number(entry.joined_on),
        _day_number(entry.last_purchase_on),
        entry.birthday[0] * 32 + entry.birthday[1] if entry.birthday else 0,
        entry.visits,
        entry.spent,
        entry.balance,
        len(entry.stores),
    ):
        _put(out, number)
    for tag in entry.stores:
        out += tag.to_bytes(3, "big")
    out += sum(1 << week.offset for week in entry.weeks).to_bytes(4, "big")
    for week in entry.weeks:
        # a week in one varint (2 bytes up to R$ 2.047) when it had up to 6 purchases
        _put(out, week.reais << 3 | min(week.purchases, 7))
        if week.purchases >= 7:
            _put(out, week.purchases - 7)
    _put(out, len(entry.bought))
    for item in entry.bought:
        out += (item.tag << 5 | item.offset).to_bytes(3, "big")
    for pairs in (entry.pending, entry.expiring):
        _put(out, len(pairs))
        for day, points in pairs:
            _put(out, _day_number(day))
            _put(out, points)
    return bytes(out)


def decode(data: bytes) -> AudienceEntry:
    if not data or data[0] >> 3 != VERSION:
        raise ValueError("unknown audience entry version")
    reader = _Reader(data, 1)
    joined, last, birthday, visits, spent, balance, count = (reader.number() for _ in range(7))
    stores = tuple(reader.fixed(3) for _ in range(count))
    bitmap = reader.fixed(4)
    offsets = [offset for offset in range(HORIZON_WEEKS) if bitmap >> offset & 1]
    weeks = []
    for offset in offsets:
        packed = reader.number()
        purchases = packed & 7
        weeks.append(
            Week(offset, purchases + reader.number() if purchases == 7 else purchases, packed >> 3)
        )
    bought = []
    for _ in range(reader.number()):
        packed = reader.fixed(3)
        bought.append(Bought(packed >> 5, packed & 31))
    pending = reader.pairs()
    expiring = reader.pairs()
    return AudienceEntry(
        joined_on=_day_of(joined),
        last_purchase_on=_day_of(last),
        visits=visits,
        spent=spent,
        balance=balance,
        birthday=divmod(birthday, 32) if birthday else None,
        reach=frozenset(str(ch) for ch, bit in _CHANNEL_BITS.items() if data[0] & bit),
        stores=stores,
        weeks=tuple(weeks),
        bought=tuple(bought),
        pending=pending,
        expiring=expiring,
    )


def _day_number(day: date | None) -> int:
    """Days since 1999-12-31 (0 is "none")."""
    return (day - DAY_ZERO).days + 1 if day else 0


def _day_of(number: int) -> date | None:
    return DAY_ZERO + timedelta(days=number - 1) if number else None


def _put(out: bytearray, number: int) -> None:
    if number < 0:
        raise ValueError("the audience entry holds no negative number")
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)


class _Reader:
    def __init__(self, data: bytes, position: int) -> None:
        self.data = data
        self.position = position

    def number(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.data[self.position]
            self.position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    def pairs(self) -> tuple[tuple[date, int], ...]:
        found = []
        for _ in range(self.number()):
            day = DAY_ZERO + timedelta(days=self.number() - 1)
            found.append((day, self.number()))
        return tuple(found)

    def fixed(self, size: int) -> int:
        start, self.position = self.position, self.position + size
        return int.from_bytes(self.data[start : self.position], "big")
