"""Monthly compensation invoice lines: after a month closes (tenant time), each store gets
one line per counterparty with what it owes and receives, and the net.

Closing writes the month's CLOSED marker first: from then on every redemption or
cancellation of that month is filed, late, in the next open period (their transactions
check the marker), so the month's pairs are frozen and the lines computed from them are
the same however often the job runs. Lines have deterministic ids and are written on
condition that they are new or identical; the network must balance, or the job fails.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from bemtevi.domain.compensation import (
    InvoiceLine,
    Unbalanced,
    check_balanced,
    invoice_lines,
    statement_totals,
)
from bemtevi.domain.money import plain_reais
from bemtevi.domain.months import month_of, parsed_month, previous_month
from bemtevi.errors import Conflict
from bemtevi.observability import logger
from bemtevi.store import compensation as repository
from bemtevi.store import network

CSV_COLUMNS = (
    "linha",
    "mes",
    "loja",
    "contraparte",
    "deve",
    "recebe",
    "liquido",
    "deve_atrasado",
    "recebe_atrasado",
    "atrasado_de",
    "pontos_devidos",
    "pontos_recebidos",
    "trocas_pagas",
    "trocas_recebidas",
)


def close_month(tenant_id: str, on: date, now: datetime | None = None) -> dict:
    """The job for the day `on`: close the last month that ended before it and write its
    invoice lines. Running it again changes nothing."""
    network.get_tenant(tenant_id)
    month = previous_month(month_of(on))
    marker = repository.close(tenant_id, month, now or datetime.now(UTC))
    lines = invoice_lines(month, repository.flows(tenant_id, month))
    try:
        owed, receivable = check_balanced(lines)
    except Unbalanced:
        logger.exception("compensation unbalanced", extra={"tenant": tenant_id, "month": month})
        raise
    repository.save_lines(tenant_id, lines)
    repository.finish(tenant_id, month, len(lines), owed, receivable)
    return {
        "tenant": tenant_id,
        "month": month,
        "closed_at": marker.closed_at.isoformat(),
        "lines": len(lines),
        "late_lines": sum(1 for line in lines if line.late_owes or line.late_receives),
        "owed": owed,
        "receivable": receivable,
    }


def statement(tenant_id: str, store_id: str, month: str) -> dict:
    """A store's invoice lines for a month: the written ones once the month is closed,
    else what they would be now (provisional)."""
    return statements(tenant_id, [store_id], month)[0]


def statements(tenant_id: str, store_ids: list[str], month: str) -> list[dict]:
    """The statements of several stores for a month, from one read of its lines (the
    API's and the CLI's for one store, the dashboard's for the stores it shows)."""
    month = parsed_month(month, "month")
    marker = repository.get_period(tenant_id, month)
    only = store_ids[0] if len(store_ids) == 1 else None
    if marker is not None and marker.lines_written is not None:
        lines = repository.lines(tenant_id, month, only)
    else:
        lines = invoice_lines(month, repository.flows(tenant_id, month))
    found = []
    for store_id in store_ids:
        own = [line for line in lines if line.store == store_id]
        found.append(
            {
                "store": store_id,
                "month": month,
                "closed": marker is not None,
                "lines": [line_view(line) for line in own],
                "totals": statement_totals(own),
            }
        )
    return found


def store_statement(tenant_id: str, store_id: str, month: str) -> dict:
    """`bemtevi compensation statement`: as the API's, for any store of the tenant."""
    network.get_store(tenant_id, store_id)
    return {"tenant": tenant_id, **statement(tenant_id, store_id, month)}


def export_csv(tenant_id: str, month: str) -> str:
    """A closed month's lines of the whole network, for the accountants: `;`-separated,
    amounts in reais with a decimal comma (what a Brazilian spreadsheet expects)."""
    network.get_tenant(tenant_id)
    month = parsed_month(month, "month")
    marker = repository.get_period(tenant_id, month)
    if marker is None or marker.lines_written is None:
        raise Conflict(
            "month_open",
            f"O mês {month} ainda não foi fechado: rode `bemtevi jobs run compensation`.",
            "month",
        )
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in repository.lines(tenant_id, month):
        writer.writerow(_csv_row(line))
    return output.getvalue()


def line_view(line: InvoiceLine) -> dict:
    return {
        "line_id": line.line_id,
        "counterparty": line.counterparty,
        "owes": line.owes,
        "receives": line.receives,
        "net": line.net,
        "late_owes": line.late_owes,
        "late_receives": line.late_receives,
        "late_from": list(line.late_from),
        "points_owed": line.points_owed,
        "points_received": line.points_received,
        "redemptions_owed": line.redemptions_owed,
        "redemptions_received": line.redemptions_received,
    }


def _csv_row(line: InvoiceLine) -> list:
    return [
        line.line_id,
        line.month,
        line.store,
        line.counterparty,
        plain_reais(line.owes),
        plain_reais(line.receives),
        plain_reais(line.net),
        plain_reais(line.late_owes),
        plain_reais(line.late_receives),
        " ".join(line.late_from),
        line.points_owed,
        line.points_received,
        line.redemptions_owed,
        line.redemptions_received,
    ]
