"""Repository of sales: the idempotency record, the NFC-e guard and the per-store-per-day
counters, written in one transaction with the customer's points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from bemtevi.domain.customers import Customer
from bemtevi.domain.ledger import Entry, expired_by_store
from bemtevi.domain.messaging import Message
from bemtevi.domain.operations import RecordedRedemption, RecordedSale
from bemtevi.store import customers, messages
from bemtevi.store.connection import shared_connection
from bemtevi.store.mapping import values_of
from bemtevi.store.models import (
    AliasRecord,
    CustomerRecord,
    DayCounterRecord,
    LedgerRecord,
    MessageRecord,
    NfceRecord,
    RedemptionRecord,
    SaleRecord,
    SalesTable,
)
from bemtevi.store.transactions import (
    AlreadyRecorded,
    Contention,
    Labelled,
    NfceTaken,
    classify,
)

# Items of any table, by key, read in the same transaction as an operation's own record.
Also = Sequence[tuple[type[Model], tuple[str, str]]]
Recorded = RecordedSale | RecordedRedemption


@dataclass
class Snapshot:
    """What an operation read: its own record (a replay), else the customer's
    resolution, and the `also` items."""

    record: Recorded | None
    resolution: customers.Resolution | None
    also: dict[tuple[str, str], Model | None] = field(default_factory=dict)


@dataclass
class Write:
    """Everything one sale, return or redemption writes, all or nothing. `record` is what
    makes the operation idempotent (the sale, or the redemption): new, on condition that
    it does not exist yet; known, on condition of its revision. `entries` go to the
    customer's ledger; `nfce_key`: a new sale's NFC-e key, kept to it on condition that
    no other sale has it."""

    record: Recorded
    record_is_new: bool
    counter: tuple[DayCounterRecord, list]
    customer: Customer | None = None
    entries: list[Entry] = field(default_factory=list)
    resolution: customers.Resolution | None = None
    nfce_key: str | None = None
    updates: list[tuple[SalesTable, list]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    checks: list[tuple[type[SalesTable], tuple[str, str], Condition]] = field(default_factory=list)


def recorded_sale(record: SaleRecord) -> RecordedSale:
    values = values_of(record, RecordedSale)
    values["returns"] = record.returns.as_dict()
    return RecordedSale(**values)


def recorded_redemption(record: RedemptionRecord) -> RecordedRedemption:
    values = values_of(record, RecordedRedemption)
    values["parts"] = record.parts.as_dict()
    return RecordedRedemption(**values)


def _recorded(record: SalesTable | None) -> Recorded | None:
    if isinstance(record, SaleRecord):
        return recorded_sale(record)
    if isinstance(record, RedemptionRecord):
        return recorded_redemption(record)
    return None


def item_of(recorded: Recorded) -> SalesTable:
    """The item of a sale or redemption, with the revision it was read at."""
    if isinstance(recorded, RecordedSale):
        values = values_of(recorded, RecordedSale)
        keys = SaleRecord.keys(recorded.tenant_id, recorded.store_id, recorded.sale_id)
        return SaleRecord(*keys, **values)
    values = values_of(recorded, RecordedRedemption)
    keys = RedemptionRecord.keys(recorded.tenant_id, recorded.store_id, recorded.redemption_id)
    return RedemptionRecord(*keys, **values)


def read_for_sale(
    tenant_id: str, store_id: str, sale_id: str, identity: customers.Identity | None
) -> Snapshot:
    """One TransactGet: the sale (a replay stops here), the customer the sale's CPF or
    phone derives, and the alias items of both."""
    return read_with_customer(
        SaleRecord, SaleRecord.keys(tenant_id, store_id, sale_id), tenant_id, identity
    )


def read_for_redemption(
    tenant_id: str,
    store_id: str,
    redemption_id: str,
    identity: customers.Identity | None,
    customer_id: str | None,
    also: Also,
) -> Snapshot:
    """One TransactGet: the redemption (a replay stops here), the customer (by CPF or
    phone, with the aliases, or by id) and the `also` items."""
    keys = RedemptionRecord.keys(tenant_id, store_id, redemption_id)
    return read_with_customer(RedemptionRecord, keys, tenant_id, identity, customer_id, also)


def read_with_customer(
    record_model: type[SalesTable],
    record_keys: tuple[str, str],
    tenant_id: str,
    identity: customers.Identity | None = None,
    customer_id: str | None = None,
    also: Also = (),
) -> Snapshot:
    """One TransactGet: the operation's own record (a replay stops there), the
    customer, named by CPF or phone (with the aliases) or by id, and any `also` items of
    any table (e.g. the compensation periods' closing markers, the benefit rules)."""
    with TransactGet(connection=shared_connection()) as transaction:
        record = transaction.get(record_model, *record_keys)
        extra = {keys: transaction.get(model, *keys) for model, keys in also}
        if identity is not None:
            derived = transaction.get(
                CustomerRecord, *CustomerRecord.keys(tenant_id, identity.derived_id)
            )
            aliases = {
                key: transaction.get(AliasRecord, *key)
                for key in customers.alias_keys(tenant_id, identity)
            }
        elif customer_id is not None:
            named = transaction.get(CustomerRecord, *CustomerRecord.keys(tenant_id, customer_id))
    found = _recorded(customers.result_of(record))
    also_found = {keys: customers.result_of(future) for keys, future in extra.items()}
    if found is not None:
        return Snapshot(found, None, also_found)
    if identity is not None:
        resolution = customers.resolve(
            tenant_id,
            identity,
            customers.customer_or_none(customers.result_of(derived)),
            customers.found_in(aliases),
        )
        return Snapshot(None, resolution, also_found)
    if customer_id is not None:
        named_customer = customers.customer_or_none(customers.result_of(named))
        resolution = customers.Resolution(customer_id, named_customer)
        return Snapshot(None, resolution, also_found)
    return Snapshot(None, None, also_found)


def read_customer_with(
    tenant_id: str, customer_id: str, also: Sequence[tuple[type[SalesTable], tuple[str, str]]]
) -> tuple[Customer, dict[tuple[str, str], SalesTable | None]]:
    """One TransactGet: a customer by id (one an operation's record names, so it exists)
    and items of the sales table."""
    with TransactGet(connection=shared_connection()) as transaction:
        customer = transaction.get(CustomerRecord, *CustomerRecord.keys(tenant_id, customer_id))
        extra = {keys: transaction.get(model, *keys) for model, keys in also}
    found = {keys: customers.result_of(future) for keys, future in extra.items()}
    record = customers.result_of(customer)
    if record is None:
        raise DoesNotExist("the customer an operation's record names is missing")
    return customers.customer_of(record), found


def get_sale(tenant_id: str, store_id: str, sale_id: str) -> RecordedSale | None:
    try:
        record = SaleRecord.get(
            *SaleRecord.keys(tenant_id, store_id, sale_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return recorded_sale(record)


def get_redemption(tenant_id: str, store_id: str, redemption_id: str) -> RecordedRedemption | None:
    keys = RedemptionRecord.keys(tenant_id, store_id, redemption_id)
    try:
        record = RedemptionRecord.get(*keys, consistent_read=True)
    except DoesNotExist:
        return None
    return recorded_redemption(record)


def nfce_guard(tenant_id: str, nfce_key: str, store_id: str, sale_id: str) -> NfceRecord:
    """The item that keeps an NFC-e key to one sale (written on condition it is new)."""
    return NfceRecord(*NfceRecord.keys(tenant_id, nfce_key), store_id=store_id, sale_id=sale_id)


def day_counts(tenant_id: str, store_id: str, day: str, **increments: int) -> tuple:
    """The store-day counter item and the ADD actions for what happened."""
    actions = [
        DayCounterRecord.kind.set(DayCounterRecord),
        DayCounterRecord.store_id.set(store_id),
        DayCounterRecord.day.set(day),
        *_additions(increments),
    ]
    return DayCounterRecord(*DayCounterRecord.keys(tenant_id, store_id, day)), actions


def _additions(increments: dict[str, int]) -> list:
    return [
        getattr(DayCounterRecord, name).add(amount) for name, amount in increments.items() if amount
    ]


def add_counts(write: Write, tenant_id: str, store_id: str, day: str, **increments: int) -> None:
    """More counts in the same transaction: merged into an update of the same store-day
    when there is one (a transaction may touch an item only once)."""
    item, actions = day_counts(tenant_id, store_id, day, **increments)
    for target in (write.counter, *write.updates):
        if (target[0].pk, target[0].sk) == (item.pk, item.sk):
            target[1].extend(_additions(increments))
            return
    write.updates.append((item, actions))


def count_expired(write: Write, tenant_id: str, day: str, entries: list) -> None:
    """Expired points count at the store that issued them, on the day they expired."""
    for store_id, points in expired_by_store(entries).items():
        add_counts(write, tenant_id, store_id, day, points_expired=points)


def commit_expiry(customer: Customer, entries: list[Entry], counters: list[tuple]) -> Customer:
    """The expiry job's change to one customer: the lots, the ledger entry and the
    expired-points counters, on condition that the customer is as read. The job reads
    the customer from a sparse index, which projects only what jobs use: the customer
    item is updated (points and index keys), never replaced. Returns it as written."""
    record = customers.record_of(customer)
    ledger = [customers.ledger_record(customer.tenant_id, customer.customer_id, e) for e in entries]
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            labelled = Labelled(transaction)
            labelled.update(record, "customer", customers.points_actions(record))
            for entry in ledger:
                labelled.save(entry, "ledger", LedgerRecord.pk.does_not_exist())
            for item, actions in counters:
                labelled.update(item, "counter", actions)
    except TransactWriteError as error:
        raise classify(error, labelled.order) from error
    return customers.as_written(customer)


def commit(write: Write) -> None:
    """The sale (or return), the customer, the ledger entry and the counters at once.
    Conditions: a new sale id and NFC-e key are new; the customer and the sale are as
    read (their revision); an alias still points where it did (or still does not exist)."""
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            labelled = Labelled(transaction)
            for model, keys, condition in write.checks:
                labelled.condition_check(model, keys, "check", condition)
            record = item_of(write.record)
            if write.record_is_new:
                labelled.save(record, "record", SalesTable.pk.does_not_exist())
            else:
                labelled.save(record, "record")
            if write.nfce_key is not None and isinstance(write.record, RecordedSale):
                guard = nfce_guard(
                    write.record.tenant_id,
                    write.nfce_key,
                    write.record.store_id,
                    write.record.sale_id,
                )
                labelled.save(guard, "nfce", SalesTable.pk.does_not_exist())
            if write.customer is not None:
                labelled.save(customers.record_of(write.customer), "customer")
            if write.resolution is not None:
                customers.add_to(labelled, write.resolution)
            for entry in _ledger(write):
                labelled.save(entry, "ledger", LedgerRecord.pk.does_not_exist())
            for message in write.messages:
                labelled.save(
                    messages.item_of(message), "message", MessageRecord.pk.does_not_exist()
                )
            for item, actions in write.updates:
                labelled.update(item, "update", actions)
            labelled.update(write.counter[0], "counter", write.counter[1])
    except TransactWriteError as error:
        raise classify(error, labelled.order, write.record_is_new) from error


__all__ = ["AlreadyRecorded", "Contention", "NfceTaken", "Snapshot", "Write", "commit"]


def _ledger(write: Write) -> list[LedgerRecord]:
    customer = write.customer
    if customer is None:
        return []
    return [
        customers.ledger_record(customer.tenant_id, customer.customer_id, entry)
        for entry in write.entries
    ]
