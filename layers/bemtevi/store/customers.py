"""Repository of customers: finding one from a CPF or phone, and mapping the customer
item to and from the domain's Customer (with its points and purchases)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TypeVar

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from bemtevi.domain import audience
from bemtevi.domain.customers import Customer, Purchases, customer_id_for, identity_hash
from bemtevi.domain.identity import CPF, PHONE, Decision, Found, Identity, Known, decide
from bemtevi.domain.ledger import Entry, Points
from bemtevi.store.connection import shared_connection
from bemtevi.store.mapping import values_of
from bemtevi.store.models import (
    AliasRecord,
    CustomerRecord,
    CustomersTable,
    LedgerRecord,
)
from bemtevi.store.transactions import Labelled, classify

INDEX_SHARDS = 8
_T = TypeVar("_T")


def identity_for(pepper: bytes, cpf: str | None, phone: str | None) -> Identity:
    return Identity(
        cpf=cpf,
        phone=phone,
        cpf_hash=identity_hash(pepper, "cpf", cpf) if cpf else None,
        phone_hash=identity_hash(pepper, "phone", phone) if phone else None,
        derived_id=customer_id_for(pepper, cpf, phone),
    )


@dataclass
class Resolution:
    """The customer a request is about (the item, or None for a new one, with the id it
    will get), and the alias changes that keep every identifier pointing at its owner:
    alias puts with the owner they expect to replace (None: the alias must not exist),
    alias deletes with the owner they expect, and other customers that lose a phone."""

    customer_id: str
    customer: Customer | None
    alias_puts: list[tuple[AliasRecord, str | None]] = field(default_factory=list)
    alias_deletes: list[tuple[AliasRecord, str]] = field(default_factory=list)
    released: list[Customer] = field(default_factory=list)
    absent: list[tuple[type[CustomersTable], tuple[str, str]]] = field(default_factory=list)

    @property
    def aliases(self) -> list[AliasRecord]:
        return [alias for alias, _ in self.alias_puts]


def alias_keys(tenant_id: str, identity: Identity) -> list[tuple[str, str]]:
    keys = []
    if identity.cpf_hash:
        keys.append(AliasRecord.keys(tenant_id, "cpf", identity.cpf_hash))
    if identity.phone_hash:
        keys.append(AliasRecord.keys(tenant_id, "phone", identity.phone_hash))
    return keys


def resolve(
    tenant_id: str,
    identity: Identity,
    derived: Customer | None,
    aliases: dict[tuple[str, str], AliasRecord],
    load: Callable[[str], Customer | None] | None = None,
) -> Resolution:
    """Who this is (decided by `bemtevi.domain.identity`), from the derived customer, the
    alias items read and the customers they point at (`load`: by id), as records to
    write and conditions to check."""
    load = load or (lambda customer_id: find_by_id(tenant_id, customer_id))
    loaded: dict[str, Customer | None] = {}

    def customer(customer_id: str | None) -> Customer | None:
        if customer_id is None:
            return None
        if customer_id == identity.derived_id:
            return derived
        if customer_id not in loaded:
            loaded[customer_id] = load(customer_id)
        return loaded[customer_id]

    cpf_alias = _alias_owner(aliases, tenant_id, CPF, identity.cpf_hash)
    phone_alias = _alias_owner(aliases, tenant_id, PHONE, identity.phone_hash)
    holder = customer(phone_alias)
    cpf_owner = customer(cpf_alias) if identity.cpf else None
    found = Found(_known(derived), cpf_alias, phone_alias, _known(cpf_owner), _known(holder))
    spare_id = identity.derived_id + secrets.token_hex(3)
    decision = decide(identity, found, spare_id)
    return _resolution(tenant_id, identity, decision, customer(decision.owner), holder)


def _alias_owner(
    aliases: dict[tuple[str, str], AliasRecord], tenant_id: str, kind: str, hashed: str | None
) -> str | None:
    alias = aliases.get(AliasRecord.keys(tenant_id, kind, hashed)) if hashed else None
    return alias.customer_id if alias is not None else None


def _known(record: Customer | None) -> Known | None:
    if record is None:
        return None
    return Known(record.customer_id, record.cpf, record.phone, record.phone_hash)


def _resolution(
    tenant_id: str,
    identity: Identity,
    decision: Decision,
    owner: Customer | None,
    holder: Customer | None,
) -> Resolution:
    """The decision as records: alias items with their expected owners, the customer
    that loses its phone, and the items that must still be absent."""
    resolution = Resolution(decision.customer_id, owner)
    for put in decision.puts:
        keys = AliasRecord.keys(tenant_id, put.kind, put.hash)
        resolution.alias_puts.append(
            (AliasRecord(*keys, customer_id=put.customer_id), put.expected)
        )
    for gone in decision.deletes:
        alias = AliasRecord(*AliasRecord.keys(tenant_id, gone.kind, gone.hash))
        resolution.alias_deletes.append((alias, gone.expected))
    if holder is not None and decision.releases == holder.customer_id:
        resolution.released.append(replace(holder, phone=None, phone_hash=None))
    if decision.cpf_alias_absent and identity.cpf_hash:
        cpf_key = AliasRecord.keys(tenant_id, CPF, identity.cpf_hash)
        resolution.absent.append((AliasRecord, cpf_key))
    if decision.derived_absent:
        derived_keys = CustomerRecord.keys(tenant_id, identity.derived_id)
        resolution.absent.append((CustomerRecord, derived_keys))
    return resolution


def add_to(transaction: Labelled, resolution: Resolution) -> None:
    """The resolution's alias changes and released customers, conditioned on what was
    read."""
    for alias, expected in resolution.alias_puts:
        condition = (
            AliasRecord.pk.does_not_exist()
            if expected is None
            else AliasRecord.customer_id == expected
        )
        transaction.save(alias, "alias", condition=condition)
    for alias, expected in resolution.alias_deletes:
        transaction.delete(alias, "alias", condition=AliasRecord.customer_id == expected)
    for other in resolution.released:
        transaction.save(record_of(other), "customer")
    for model, keys in resolution.absent:
        transaction.condition_check(
            model, keys, "absent", condition=CustomersTable.pk.does_not_exist()
        )


@dataclass
class NetAliases:
    """The aliases as the batch has left them so far, and the net puts and deletes
    against what was stored."""

    stored: dict[tuple[str, str], AliasRecord]
    aliases: dict[tuple[str, str], AliasRecord]
    puts: dict[tuple[str, str], AliasRecord] = field(default_factory=dict)
    deletes: dict[tuple[str, str], AliasRecord] = field(default_factory=dict)

    def apply(self, resolution: Resolution) -> None:
        for alias, _ in resolution.alias_puts:
            key = (alias.pk, alias.sk)
            self.aliases[key] = alias
            self.deletes.pop(key, None)
            self.puts[key] = alias
        for alias, _ in resolution.alias_deletes:
            key = (alias.pk, alias.sk)
            self.aliases.pop(key, None)
            self.puts.pop(key, None)
            if key in self.stored:
                self.deletes[key] = alias

    def resolution(self) -> Resolution:
        """The net changes, each expecting the owner that was stored."""
        return Resolution(
            "",
            None,
            alias_puts=[(alias, self._owner(key)) for key, alias in self.puts.items()],
            # only stored aliases are deleted, so each has its stored owner
            alias_deletes=[
                (alias, self.stored[key].customer_id) for key, alias in self.deletes.items()
            ],
        )

    def _owner(self, key: tuple[str, str]) -> str | None:
        alias = self.stored.get(key)
        return alias.customer_id if alias is not None else None


def find(tenant_id: str, identity: Identity) -> Resolution:
    """One TransactGet: the derived customer item and the alias items."""
    return find_with(tenant_id, identity)[0]


def find_with(
    tenant_id: str, identity: Identity, also: Sequence[tuple[type[Model], tuple[str, str]]] = ()
) -> tuple[Resolution, dict[tuple[str, str], Model | None]]:
    """One TransactGet: the derived customer item, the alias items and the `also` items
    (of any table, e.g. the tenant's benefit rules)."""
    with TransactGet(connection=shared_connection()) as transaction:
        derived = transaction.get(
            CustomerRecord, *CustomerRecord.keys(tenant_id, identity.derived_id)
        )
        aliases = {
            key: transaction.get(AliasRecord, *key) for key in alias_keys(tenant_id, identity)
        }
        extra = {keys: transaction.get(model, *keys) for model, keys in also}
    resolution = resolve(
        tenant_id, identity, customer_or_none(result_of(derived)), found_in(aliases)
    )
    return resolution, {keys: result_of(future) for keys, future in extra.items()}


def result_of(future):
    try:
        return future.get()
    except DoesNotExist:
        return None


def found_in(futures: dict) -> dict:
    return {key: item for key, future in futures.items() if (item := result_of(future)) is not None}


def find_by_id(tenant_id: str, customer_id: str) -> Customer | None:
    try:
        record = CustomerRecord.get(
            *CustomerRecord.keys(tenant_id, customer_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return customer_of(record)


def customer_of(record: CustomerRecord) -> Customer:
    """The customer an item holds (from an index: what the index projects)."""
    values = values_of(record, Customer)
    values["lots"] = tuple(record.lots or [])
    values["purchase_stores"] = frozenset(record.purchase_stores or ())
    return Customer(**values)


def customer_or_none(record: CustomerRecord | None) -> Customer | None:
    return None if record is None else customer_of(record)


def record_of(customer: Customer) -> CustomerRecord:
    """The item of a customer, with the revision it was read at (a save is conditioned
    on it)."""
    values = values_of(customer, Customer)
    values["lots"] = list(customer.lots)
    values["purchase_stores"] = set(customer.purchase_stores) or None
    values.update(follow_up_keys(customer))
    return CustomerRecord(*CustomerRecord.keys(customer.tenant_id, customer.customer_id), **values)


def follow_up_keys(customer: Customer) -> dict[str, str | None]:
    """Where the customer sits in the follow-up indexes (issue 16): by the time of the
    last purchase, and (sparse) by the birthday's month-day."""
    shard = shard_of(customer.customer_id)
    bought = customer.last_purchase_at
    md = customer.birthday[5:10] if customer.birthday and len(customer.birthday) >= 10 else None
    return {
        "bought_pk": f"T#{customer.tenant_id}#bought#{shard}" if bought else None,
        "bought_at": utc_iso(bought) if bought else None,
        "birthday_pk": f"T#{customer.tenant_id}#birthday#{shard}" if md else None,
        "birthday_md": md,
    }


def as_written(customer: Customer) -> Customer:
    """The customer after a write conditioned on its revision: the next revision."""
    return replace(customer, revision=(customer.revision or 0) + 1)


def new_customer(tenant_id: str, customer_id: str, now: datetime) -> Customer:
    return Customer(tenant_id=tenant_id, customer_id=customer_id, created_at=now, updated_at=now)


def points_of(record: Customer) -> Points:
    return Points(lots=tuple(record.lots or []), debt=int(record.debt or 0))


def purchases_of(record: Customer) -> Purchases:
    return Purchases(
        first_purchase_at=record.first_purchase_at,
        last_purchase_at=record.last_purchase_at,
        visits=int(record.visits),
        total_spent=int(record.total_spent),
        last_store=record.last_store,
        last_seller=record.last_seller,
        purchase_stores=record.purchase_stores,
    )


def with_points(
    record: Customer,
    points: Points,
    threshold: int | None,
    warning_days: int | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> Customer:
    """The customer with these points and the sparse index attributes right: `redeemable`
    only while the points reach the cheapest benefit, `expiry` only while there are
    points, and `warning` at the moment the first expiring points enter the warning
    period, or now if they already have (so a date that moves into a period already
    looked at is still warned about)."""
    shard = shard_of(record.customer_id)
    next_expiry = points.next_expiry()
    expiry_text = utc_iso(next_expiry) if next_expiry else None
    warn_at = None
    if next_expiry and warning_days is not None and now is not None:
        unchanged = record.next_expiry == expiry_text and record.warn_at
        warn_at = (
            record.warn_at
            if unchanged
            else utc_iso(max(next_expiry - timedelta(days=warning_days), now))
        )
    available_from = points.available_from(threshold) if threshold else None
    changed = replace(
        record,
        lots=tuple(points.lots),
        balance=points.balance,
        debt=points.debt,
        warning_pk=f"T#{record.tenant_id}#warning#{shard}" if warn_at else None,
        warn_at=warn_at,
        expiry_pk=f"T#{record.tenant_id}#expiry#{shard}" if next_expiry else None,
        next_expiry=expiry_text,
        redeemable_pk=f"T#{record.tenant_id}#redeemable#{shard}" if available_from else None,
        available_from=utc_iso(available_from) if available_from else None,
    )
    return with_audience(changed, now, zone) if now is not None and zone is not None else changed


def entry_of(record: Customer) -> audience.AudienceEntry:
    """The customer's audience entry as last written (an empty one if none yet)."""
    return audience.decode(record.au) if record.au else audience.AudienceEntry()


def with_audience(record: Customer, now: datetime, zone: tzinfo) -> Customer:
    """The customer with its audience index attributes right: `ak` (its shard of the
    `audience` index) and `au` (the entry refreshed from what the item says now)."""
    entry = audience.refreshed(entry_of(record), record, now, zone)
    return replace(record, ak=audience_key(record), au=audience.encode(entry))


def with_audience_sale(
    record: Customer,
    day: date,
    net_total: int,
    store_id: str,
    categories: Sequence[str] = (),
    brands: Sequence[str] = (),
) -> Customer:
    """The customer's audience entry after a sale on `day` (tenant-local)."""
    entry = audience.with_sale(entry_of(record), day, net_total, store_id, categories, brands)
    return replace(record, ak=audience_key(record), au=audience.encode(entry))


def with_audience_return(record: Customer, sale_day: date, amount: int) -> Customer:
    """The customer's audience entry after a return of `amount` of a sale on `sale_day`."""
    if not record.au:
        return record
    entry = audience.with_return(entry_of(record), sale_day, amount)
    return replace(record, ak=audience_key(record), au=audience.encode(entry))


def audience_key(record: Customer) -> str:
    return f"T#{record.tenant_id}#A#{shard_of(record.customer_id)}"


POINTS_ATTRIBUTES = (
    "lots",
    "balance",
    "debt",
    "redeemable_pk",
    "available_from",
    "expiry_pk",
    "next_expiry",
    "warning_pk",
    "warn_at",
    "updated_at",
)


def points_actions(record: CustomerRecord) -> list:
    """UpdateItem actions that write what `with_points` set (and `updated_at`)."""
    actions = []
    for name in POINTS_ATTRIBUTES:
        attribute = getattr(CustomerRecord, name)
        value = getattr(record, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    # the audience entry is set, never removed (a customer read from an older index
    # projection may lack it: the item keeps the one it has)
    actions += [
        getattr(CustomerRecord, name).set(getattr(record, name))
        for name in ("ak", "au")
        if getattr(record, name) is not None
    ]
    return actions


def with_purchases(record: Customer, purchases: Purchases) -> Customer:
    """Aggregates that segments filter on, average ticket included."""
    return replace(record, **purchases.__dict__, average_ticket=purchases.average_ticket)


def ledger_record(tenant_id: str, customer_id: str, entry: Entry) -> LedgerRecord:
    return LedgerRecord(
        *LedgerRecord.keys(tenant_id, customer_id, entry.occurred_at.isoformat(), entry.entry_id),
        entry_id=entry.entry_id,
        entry_kind=str(entry.kind),
        occurred_at=entry.occurred_at,
        points=entry.points,
        store_id=entry.store_id,
        sale_id=entry.sale_id,
        lots=entry.lots,
        debt=entry.debt,
        reason=entry.reason,
    )


def ledger(tenant_id: str, customer_id: str) -> list[LedgerRecord]:
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    return list(LedgerRecord.query(pk, LedgerRecord.sk.startswith("LEDGER#")))


def utc_iso(moment: datetime) -> str:
    """Times in index keys are compared as text: always UTC, always the same form."""
    return moment.astimezone(UTC).isoformat()


def shard_of(customer_id: str) -> int:
    return int(hashlib.sha256(customer_id.encode()).hexdigest()[:8], 16) % INDEX_SHARDS


def save(records: list[Customer], resolution: Resolution) -> None:
    """Customers (each on condition its revision is as read) and the resolution's alias
    changes and checks, in one transaction."""
    _commit(records, resolution)


def save_batch(records: list[Customer], net: Resolution, chunk: int = 100) -> None:
    """A batch's customers and net alias changes, in transactions of at most `chunk`
    actions: each is atomic, the batch as a whole is not, and repeating it is harmless."""
    puts, deletes = net.alias_puts, net.alias_deletes
    puts_from = len(records)
    deletes_from = puts_from + len(puts)
    for start in range(0, deletes_from + len(deletes), chunk):
        end = start + chunk
        _commit(
            records[start:end],
            Resolution(
                net.customer_id,
                None,
                alias_puts=_window(puts, start - puts_from, end - puts_from),
                alias_deletes=_window(deletes, start - deletes_from, end - deletes_from),
            ),
        )


def _window(items: list[_T], start: int, end: int) -> list[_T]:
    """items[start:end] of a list that follows others in one sequence of actions: a
    negative bound lies before the list (not, as in a slice, counted from its end)."""
    return items[max(start, 0) : max(end, 0)]


def _commit(records: list[Customer], resolution: Resolution) -> None:
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            labelled = Labelled(transaction)
            for record in records:
                labelled.save(record_of(record), "customer")
            add_to(labelled, resolution)
    except TransactWriteError as error:
        raise classify(error, labelled.order) from error


def read_many(
    tenant_id: str, identities: list[Identity]
) -> tuple[dict[str, Customer], dict[tuple[str, str], AliasRecord]]:
    """BatchGetItem (100 keys a call) of the derived customers and of every alias."""
    customer_keys = {CustomerRecord.keys(tenant_id, who.derived_id) for who in identities}
    alias_key_set = {key for who in identities for key in alias_keys(tenant_id, who)}
    found = {
        record.customer_id: customer_of(record)
        for record in CustomerRecord.batch_get(list(customer_keys), consistent_read=True)
    }
    aliases = {
        (alias.pk, alias.sk): alias
        for alias in AliasRecord.batch_get(list(alias_key_set), consistent_read=True)
    }
    return found, aliases


INDEX_KEYS = {
    "redeemable": ("redeemable_pk", "available_from"),
    "expiry": ("expiry_pk", "next_expiry"),
    "warning": ("warning_pk", "warn_at"),
}


def position_of(record: Customer, index: str) -> dict:
    """Where a customer sits in a sparse index, as a Query's start key: a page can then
    resume right after it (DynamoDB compares positions, so the item may have moved)."""
    pk, sk = CustomerRecord.keys(record.tenant_id, record.customer_id)
    return {
        "pk": {"S": pk},
        "sk": {"S": sk},
        **{name: {"S": getattr(record, name)} for name in INDEX_KEYS[index]},
    }


def index_page(
    index: str,
    tenant_id: str,
    shard: int,
    until: datetime,
    after: datetime | None = None,
    start: dict | None = None,
    limit: int = 100,
) -> tuple[list[Customer], dict | None]:
    """A page of one shard of a sparse index (`redeemable`: points reached the cheapest
    benefit; `expiry`: first lot to expire; `warning`: expiring points entered the warning
    period), for sort keys in (after, until]; and where the next page starts."""
    sort_key = getattr(CustomerRecord, INDEX_KEYS[index][1])
    upper = utc_iso(until)
    condition = (
        sort_key <= upper
        if after is None
        else sort_key.between(utc_iso(after + timedelta(microseconds=1)), upper)
    )
    model_index = {
        "redeemable": CustomerRecord.redeemable,
        "expiry": CustomerRecord.expiring,
        "warning": CustomerRecord.warning,
    }[index]
    results = model_index.query(
        f"T#{tenant_id}#{index}#{shard}", condition, last_evaluated_key=start, limit=limit
    )
    page, start = page_of(results, limit)
    return [customer_of(record) for record in page], start


def page_of(results, limit: int) -> tuple[list, dict | None]:
    """The items of a limited Query and the key to continue from (None at the end)."""
    page = list(results)
    return page, results.last_evaluated_key if len(page) == limit else None


@dataclass(frozen=True)
class LedgerLine:
    """A ledger entry as its page shows it; `reason`: an adjustment's."""

    kind: str
    occurred_at: datetime
    points: int
    store_id: str
    sale_id: str | None
    reason: str | None


def ledger_line(record: LedgerRecord) -> LedgerLine:
    return LedgerLine(
        kind=record.entry_kind,
        occurred_at=record.occurred_at,
        points=int(record.points),
        store_id=record.store_id,
        sale_id=record.sale_id,
        reason=record.reason,
    )


def ledger_page(
    tenant_id: str, customer_id: str, limit: int, after: str | None = None
) -> tuple[list[LedgerLine], str | None]:
    """A page of the customer's ledger, newest first: one Query of `limit` + 1 entries
    (the extra one only says whether there is a next page), starting after the sort key
    `after`; and the sort key the next page starts after (None on the last page)."""
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    start = {"pk": {"S": pk}, "sk": {"S": after}} if after else None
    found = list(
        LedgerRecord.query(
            pk,
            LedgerRecord.sk.startswith("LEDGER#"),
            scan_index_forward=False,
            limit=limit + 1,
            last_evaluated_key=start,
        )
    )
    page = found[:limit]
    return [ledger_line(record) for record in page], page[-1].sk if len(found) > limit else None
