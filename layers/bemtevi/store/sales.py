"""Repository of sales: the idempotency record, the NFC-e guard and the per-store-per-day
counters, written in one transaction with the customer's points."""

from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactGet, TransactWrite

from bemtevi.store import customers
from bemtevi.store.models import (
    AliasRecord,
    CustomerRecord,
    DayCounterRecord,
    LedgerRecord,
    NfceRecord,
    SaleRecord,
    SalesTable,
)


class SaleAlreadyRecorded(Exception):
    """Another delivery of the same sale won the race."""


class NfceTaken(Exception):
    pass


class Contention(Exception):
    """The customer (or an alias) changed between read and write: read again."""


@dataclass
class Snapshot:
    sale: SaleRecord | None
    resolution: customers.Resolution | None


@dataclass
class Write:
    """Everything one sale, or one return, writes, all or nothing."""

    sale: SaleRecord
    sale_is_new: bool
    counter: DayCounterRecord
    counter_actions: list
    customer: CustomerRecord | None = None
    ledger: LedgerRecord | None = None
    aliases: list[AliasRecord] = field(default_factory=list)
    nfce: NfceRecord | None = None


def read_for_sale(
    tenant_id: str, store_id: str, sale_id: str, identity: customers.Identity | None
) -> Snapshot:
    """One TransactGet: the sale (a replay stops here), the customer the sale's CPF or
    phone derives, and the alias items of both."""
    with TransactGet(connection=_connection()) as transaction:
        sale = transaction.get(SaleRecord, *SaleRecord.keys(tenant_id, store_id, sale_id))
        if identity is not None:
            derived = transaction.get(
                CustomerRecord, *CustomerRecord.keys(tenant_id, identity.derived_id)
            )
            aliases = {
                key: transaction.get(AliasRecord, *key)
                for key in customers.alias_keys(tenant_id, identity)
            }
    found_sale = customers._result(sale)
    if found_sale is not None or identity is None:
        return Snapshot(found_sale, None)
    resolution = customers.resolve(
        tenant_id, identity, customers._result(derived), customers._found(aliases)
    )
    return Snapshot(None, resolution)


def get_sale(tenant_id: str, store_id: str, sale_id: str) -> SaleRecord | None:
    try:
        return SaleRecord.get(*SaleRecord.keys(tenant_id, store_id, sale_id), consistent_read=True)
    except DoesNotExist:
        return None


def counter(tenant_id: str, store_id: str, day: str) -> DayCounterRecord:
    return DayCounterRecord(*DayCounterRecord.keys(tenant_id, store_id, day))


def counter_actions(store_id: str, day: str, **increments: int) -> list:
    actions = [
        DayCounterRecord.kind.set(DayCounterRecord),
        DayCounterRecord.store_id.set(store_id),
        DayCounterRecord.day.set(day),
    ]
    for name, amount in increments.items():
        if amount:
            actions.append(getattr(DayCounterRecord, name).add(amount))
    return actions


def commit(write: Write) -> None:
    """The sale (or return), the customer, the ledger entry and the counters at once.
    Conditions: a new sale id and NFC-e key are new; the customer and the sale are as
    read (their revision); an alias still points where it did."""
    order: list[str] = []
    try:
        with TransactWrite(connection=_connection()) as transaction:
            if write.sale_is_new:
                transaction.save(write.sale, condition=SalesTable.pk.does_not_exist())
            else:
                transaction.save(write.sale)
            order.append("sale")
            if write.nfce is not None:
                transaction.save(write.nfce, condition=SalesTable.pk.does_not_exist())
                order.append("nfce")
            if write.customer is not None:
                transaction.save(write.customer)
                order.append("customer")
            for alias in write.aliases:
                transaction.save(alias)
                order.append("alias")
            if write.ledger is not None:
                transaction.save(write.ledger, condition=LedgerRecord.pk.does_not_exist())
                order.append("ledger")
            transaction.update(write.counter, actions=write.counter_actions)
            order.append("counter")
    except TransactWriteError as error:
        raise _reason(error, order, write.sale_is_new) from error


def _reason(error: TransactWriteError, order: list[str], sale_is_new: bool) -> Exception:
    failed = {
        order[index]: reason.code
        for index, reason in enumerate(error.cancellation_reasons or [])
        if reason is not None and reason.code not in (None, "None")
    }
    if failed.get("sale") == "ConditionalCheckFailed":
        return SaleAlreadyRecorded() if sale_is_new else Contention()
    if failed.get("nfce") == "ConditionalCheckFailed":
        return NfceTaken()
    if failed or error.cause_response_code == "TransactionConflictException":
        return Contention()
    return error


def _connection() -> Connection:
    return SalesTable._get_connection().connection
