"""Repository of compensation: the pair items kept by the redemptions' transactions, the
marker that closes a period, and the invoice lines written when it closes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from bemtevi.domain.compensation import Filing, InvoiceLine, PairFlow
from bemtevi.errors import BemteviError
from bemtevi.store.connection import shared_connection
from bemtevi.store.models import (
    CompensationRecord,
    InvoiceLineRecord,
    PeriodRecord,
    SalesTable,
)

LINES_PER_TRANSACTION = 100
CLOSE_ATTEMPTS = 5


class InvoiceChanged(BemteviError):
    """A line already written for a closed month differs from the one computed now."""

    status = 500


def period_keys(tenant_id: str, month: str) -> tuple[str, str]:
    return PeriodRecord.keys(tenant_id, month)


def closing_reads(tenant_id: str, months: tuple[str, ...]) -> list[tuple[type, tuple[str, str]]]:
    """The closing markers of `months`, as items to read with an operation's own data."""
    return [(PeriodRecord, period_keys(tenant_id, month)) for month in months]


def still_open_check(tenant_id: str, period: str) -> tuple[type, tuple[str, str], Condition]:
    """The ConditionCheck that files a compensation in `period` only while it is open."""
    return PeriodRecord, period_keys(tenant_id, period), open_condition()


def open_condition() -> Condition:
    """What a redemption's transaction checks on its period's marker: still open."""
    return SalesTable.pk.does_not_exist()


def closed_reader(tenant_id: str, known: dict[str, bool]) -> Callable[[str], bool]:
    """Whether a month is closed: from `known` (markers read with the operation's own
    data), else one GetItem, which only happens when a month after the next was closed
    early."""

    def is_closed(month: str) -> bool:
        if month not in known:
            known[month] = get_period(tenant_id, month) is not None
        return known[month]

    return is_closed


def pair_update(
    tenant_id: str,
    filed: Filing,
    payer: str,
    receiver: str,
    amount: int,
    points: int,
    redemptions: int,
) -> tuple[CompensationRecord, list]:
    """The pair item of a filing and the ADD actions for a redemption (+) or its
    cancellation (-)."""
    origin = filed.origin if filed.late else None
    line = CompensationRecord(
        *CompensationRecord.keys(tenant_id, filed.period, payer, receiver, origin)
    )
    actions = [
        CompensationRecord.kind.set(CompensationRecord),
        CompensationRecord.month.set(filed.period),
        CompensationRecord.payer.set(payer),
        CompensationRecord.receiver.set(receiver),
        CompensationRecord.amount.add(amount),
        CompensationRecord.points.add(points),
        CompensationRecord.redemptions.add(redemptions),
    ]
    if origin:
        actions.append(CompensationRecord.origin.set(origin))
    return line, actions


def get_period(tenant_id: str, month: str) -> PeriodRecord | None:
    try:
        return PeriodRecord.get(*period_keys(tenant_id, month), consistent_read=True)
    except DoesNotExist:
        return None


def close(tenant_id: str, month: str, now: datetime) -> PeriodRecord:
    """Write the month's closing marker, or find the one a previous run wrote. From the
    moment it exists no transaction can change the month's pairs any more."""
    for _ in range(CLOSE_ATTEMPTS):
        marker = PeriodRecord(*period_keys(tenant_id, month), month=month, closed_at=now)
        try:
            marker.save(condition=SalesTable.pk.does_not_exist())
            return marker
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                existing = get_period(tenant_id, month)
                if existing is not None:
                    return existing
            elif error.cause_response_code != "TransactionConflictException":
                raise
    raise BemteviError("busy", "Não foi possível fechar o mês; tente de novo.", None)


def flows(tenant_id: str, month: str) -> list[PairFlow]:
    """Every pair item of a period, on time and late (a consistent Query)."""
    pk, _ = period_keys(tenant_id, month)
    return [
        PairFlow(
            payer=record.payer,
            receiver=record.receiver,
            amount=int(record.amount),
            points=int(record.points),
            redemptions=int(record.redemptions),
            origin=record.origin,
        )
        for record in CompensationRecord.query(pk, consistent_read=True)
    ]


def save_lines(tenant_id: str, lines: list[InvoiceLine]) -> None:
    """Each line on condition that it is new or exactly the same; anything else means a
    closed month changed, and raises InvoiceChanged."""
    for start in range(0, len(lines), LINES_PER_TRANSACTION):
        chunk = lines[start : start + LINES_PER_TRANSACTION]
        try:
            with TransactWrite(connection=shared_connection()) as transaction:
                for line in chunk:
                    record = _record(tenant_id, line)
                    condition = SalesTable.pk.does_not_exist() | (
                        InvoiceLineRecord.fingerprint == record.fingerprint
                    )
                    transaction.save(record, condition=condition)
        except TransactWriteError as error:
            reasons = [r.code for r in error.cancellation_reasons or [] if r is not None]
            if "ConditionalCheckFailed" in reasons:
                raise InvoiceChanged(
                    "invoice_changed",
                    "Uma linha de fatura já gravada difere da calculada agora.",
                    None,
                ) from error
            raise


def finish(tenant_id: str, month: str, count: int, owed: int, receivable: int) -> None:
    PeriodRecord(*period_keys(tenant_id, month)).update(
        actions=[
            PeriodRecord.lines_written.set(count),
            PeriodRecord.owed.set(owed),
            PeriodRecord.receivable.set(receivable),
        ]
    )


def lines(tenant_id: str, month: str, store_id: str | None = None) -> list[InvoiceLine]:
    """A month's invoice lines: a store's (one Query on its sort-key prefix) or all."""
    pk, _ = InvoiceLineRecord.keys(tenant_id, month, "", "")
    condition = InvoiceLineRecord.sk.startswith(f"{store_id}#") if store_id else None
    return [
        InvoiceLine(
            month=record.month,
            store=record.store_id,
            counterparty=record.counterparty,
            owes=int(record.owes),
            receives=int(record.receives),
            late_owes=int(record.late_owes),
            late_receives=int(record.late_receives),
            points_owed=int(record.points_owed),
            points_received=int(record.points_received),
            redemptions_owed=int(record.redemptions_owed),
            redemptions_received=int(record.redemptions_received),
            late_from=tuple(record.late_from),
        )
        for record in InvoiceLineRecord.query(pk, condition, consistent_read=True)
    ]


def fingerprint(line: InvoiceLine) -> str:
    canonical = json.dumps(asdict(line), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _record(tenant_id: str, line: InvoiceLine) -> InvoiceLineRecord:
    return InvoiceLineRecord(
        *InvoiceLineRecord.keys(tenant_id, line.month, line.store, line.counterparty),
        line_id=line.line_id,
        month=line.month,
        store_id=line.store,
        counterparty=line.counterparty,
        owes=line.owes,
        receives=line.receives,
        net=line.net,
        late_owes=line.late_owes,
        late_receives=line.late_receives,
        points_owed=line.points_owed,
        points_received=line.points_received,
        redemptions_owed=line.redemptions_owed,
        redemptions_received=line.redemptions_received,
        late_from=list(line.late_from),
        fingerprint=fingerprint(line),
    )
