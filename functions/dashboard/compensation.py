"""Compensação (`/painel/compensacao?mes=AAAA-MM`): the month's statement of each store in
scope (invoice lines, owes, receives, net, late items), closed or provisional, and the
network's CSV (`/painel/compensacao.csv?mes=`): the same file as `bemtevi compensation
export`, for network admins only (it names every store)."""

from __future__ import annotations

from urllib.parse import urlencode

from bemtevi.domain.labels import MONEY, shown
from bemtevi.domain.months import next_month, previous_month
from bemtevi.domain.staff import Manager
from bemtevi.web import SECURITY_HEADERS
from functions.dashboard import charts
from functions.dashboard.audit import audit
from functions.dashboard.common import (
    OutOfScope,
    Query,
    Scope,
    answering_problems,
    month_param,
    rendered,
    scope_of,
)
from functions.portal.pages import Page
from functions.reporting import settlement

HREF = "/painel/compensacao"
CSV_HREF = "/painel/compensacao.csv"


@answering_problems(HREF)
def compensation(manager: Manager, query: Query) -> Page:
    scope = scope_of(manager, query)
    month = month_param(query, "mes", previous_month(scope.this_month))
    found = settlement.statements(manager.tenant_id, scope.stores, month)
    closed = bool(found) and found[0]["closed"]
    return rendered(
        manager,
        HREF,
        "painel/compensacao.html",
        "Compensação entre lojas",
        escopo=scope.label,
        mes=month,
        mes_nome=charts.month_label(month, "MMMM 'de' y"),
        fechado=closed,
        anterior=_link(scope, previous_month(month)),
        seguinte=_link(scope, next_month(month)) if month < scope.this_month else None,
        csv=f"{CSV_HREF}?{urlencode({'mes': month})}" if manager.sees_network and closed else None,
        extratos=[_statement(scope, statement) for statement in found],
    )


def _link(scope: Scope, month: str) -> str:
    return f"{HREF}?{urlencode({'mes': month, **({'loja': scope.store} if scope.store else {})})}"


def _statement(scope: Scope, statement: dict) -> dict:
    totals = statement["totals"]
    net = totals["net"]
    return {
        "loja": scope.name(statement["store"]),
        "id": statement["store"],
        "linhas": [
            {
                "contraparte": scope.name(line["counterparty"]),
                "deve": shown(line["owes"], MONEY),
                "recebe": shown(line["receives"], MONEY),
                "liquido": shown(line["net"], MONEY),
                "atrasado": _late(line),
            }
            for line in statement["lines"]
        ],
        "deve": shown(totals["owes"], MONEY),
        "recebe": shown(totals["receives"], MONEY),
        "liquido": shown(net, MONEY),
        "saldo": (
            f"{shown(abs(net), MONEY)} a receber"
            if net > 0
            else f"{shown(abs(net), MONEY)} a pagar"
            if net < 0
            else "nada a acertar"
        ),
    }


def _late(line: dict) -> str:
    if not (line["late_owes"] or line["late_receives"]):
        return ""
    months = ", ".join(charts.month_label(month) for month in line["late_from"])
    return f"{shown(line['late_receives'] - line['late_owes'], MONEY)} de {months}"


@answering_problems(HREF)
def compensation_csv(manager: Manager, query: Query, source_ip: str = "") -> Page:
    """The network's lines of a closed month as `bemtevi compensation export` writes them;
    the download is an export, so it is audited."""
    if not manager.sees_network:
        raise OutOfScope("out_of_scope", "Só a gestão da rede baixa o arquivo da rede.", "mes")
    scope = scope_of(manager, {})
    month = month_param(query, "mes", previous_month(scope.this_month))
    text = settlement.export_csv(manager.tenant_id, month)
    name = f"compensacao-{manager.tenant_id}-{month}.csv"
    audit(manager, "export", name, source_ip)
    headers = {
        **SECURITY_HEADERS,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    return Page(200, text, headers)
