"""Mensagens (`/painel/mensagens?mes=AAAA-MM&loja=`): the month's messages and their cost
by kind, channel and day (the stores' month items and the message counters of the days
after them), the latest messages with masked contacts, and failures with their reasons
(the message log, newest days first)."""

from __future__ import annotations

from datetime import date, timedelta

from bemtevi.domain.dashboard import LogLine, messages_by
from bemtevi.domain.labels import MONEY, channel, kind, reason, shown, status
from bemtevi.domain.metrics import Counts
from bemtevi.domain.months import first_day, last_day
from bemtevi.domain.staff import Manager
from bemtevi.store import figures
from functions.dashboard import charts
from functions.dashboard.common import (
    Query,
    Scope,
    answering_problems,
    month_param,
    rendered,
    scope_of,
)
from functions.portal.pages import Page

HREF = "/painel/mensagens"
LOG_DAYS = 7


@answering_problems(HREF)
def messages(manager: Manager, query: Query) -> Page:
    scope = scope_of(manager, query)
    month = month_param(query, "mes", scope.this_month)
    today = scope.today()
    days = _days(month, today)
    counted = figures.message_days(manager.tenant_id, scope.stores, month, today)
    by_kind, by_channel, by_day = messages_by(counted)
    stores = None if scope.whole_network else set(scope.stores)
    latest = figures.latest_messages(manager.tenant_id, days[-LOG_DAYS:], stores)
    total = {name: sum(c[name] for c in by_kind.values()) for name in ("sent", "cost", "failed")}
    return rendered(
        manager,
        HREF,
        "painel/mensagens.html",
        "Mensagens",
        escopo=scope.label,
        mes=month,
        mes_nome=charts.month_label(month, "MMMM 'de' y"),
        total=_row("Total", total),
        por_tipo=[_row(kind(code), counts) for code, counts in by_kind.items()],
        por_canal=[_row(channel(code), counts) for code, counts in by_channel.items()],
        por_dia=[_row(_day(day), counts) for day, counts in by_day.items()],
        recentes=[_logged(scope, message) for message in latest],
        falhas=[_logged(scope, message) for message in latest if message.status == "failed"],
    )


def _days(month: str, today: date) -> list[date]:
    """The month's days up to today (none of a month still to come)."""
    end = min(last_day(month), today)
    start = first_day(month)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _day(day: str) -> str:
    return charts.format_date(date.fromisoformat(day), "EEE, d 'de' MMM", locale="pt_BR")


def _row(label: str, counts: Counts) -> dict:
    return {
        "rotulo": label,
        "enviadas": shown(counts.get("sent", 0), "count"),
        "custo": shown(counts.get("cost", 0), MONEY),
        "falhas": shown(counts.get("failed", 0), "count"),
    }


def _logged(scope: Scope, message: LogLine) -> dict:
    return {
        "quando": charts.format_datetime_short(message.at, scope.network.timezone),
        "tipo": kind(message.kind),
        "canal": channel(message.channel) if message.channel else "—",
        "situacao": status(message.status),
        "loja": scope.name(message.store_id) if message.store_id else "—",
        "contato": message.contact or "—",
        "custo": shown(message.cost, MONEY),
        "motivo": reason(message.error) or "—",
    }
