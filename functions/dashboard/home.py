"""Início (`/painel`): this month so far and the last closed month, for the network, the
manager's stores or one store (`?loja=`); a twelve-month trend chart per headline figure;
a per-store table sortable by `?ordem=`. Reads: the tenant and its stores, the trend's
snapshots, the stores' last snapshots and month so far (bemtevi.store.figures.home)."""

from __future__ import annotations

from urllib.parse import urlencode

from bemtevi.domain import dashboard as rules
from bemtevi.domain.dashboard import HomeReads, StoreRow
from bemtevi.domain.labels import FIGURES, shown
from bemtevi.domain.metrics import NETWORK, MonthSnapshot
from bemtevi.domain.months import months_between
from bemtevi.domain.staff import Manager
from bemtevi.store import figures
from functions.dashboard import charts
from functions.dashboard.common import (
    Query,
    Scope,
    answering_problems,
    invalid,
    rendered,
    scope_of,
)
from functions.portal.pages import Page

HREF = "/painel"


@answering_problems(HREF)
def home(manager: Manager, query: Query) -> Page:
    scope = scope_of(manager, query)
    order = query.get("ordem") or "loja"
    if order not in rules.SORTS:
        raise invalid("Ordem desconhecida para a tabela de lojas.", "ordem")
    current = scope.this_month
    first, last = rules.trend_months(current)
    trend_scopes = [NETWORK] if scope.whole_network else scope.stores
    reads = figures.home(
        manager.tenant_id, scope.stores, trend_scopes, (first, last, current), scope.today()
    )
    trend = reads.trend if scope.whole_network else rules.combined("stores", reads.trend)
    by_month = {snapshot.month: snapshot for snapshot in trend}
    closed = by_month.get(last)
    so_far = rules.so_far_figures(reads.so_far.values(), closed.state if closed else {})
    return rendered(
        manager,
        HREF,
        "painel/inicio.html",
        "Início",
        escopo=scope.label,
        mes_atual=f"{charts.month_label(current)} até hoje",
        mes_fechado=charts.month_label(last),
        posicao=_photograph(closed),
        grupos=_groups(so_far, rules.month_figures(closed)),
        graficos=_charts(months_between(first, last), by_month),
        lojas=_store_table(scope, reads, order) if len(scope.stores) > 1 else None,
    )


def _photograph(closed: MonthSnapshot | None) -> str:
    return closed.as_of if closed else ""


def _groups(so_far: dict, closed: dict) -> list[dict]:
    return [
        {
            "titulo": title,
            "linhas": [
                {
                    "rotulo": FIGURES[name][0],
                    "agora": shown(so_far[name], FIGURES[name][1], charts.MISSING),
                    "fechado": shown(closed[name], FIGURES[name][1], charts.MISSING),
                    "foto": name in rules.PHOTOGRAPHED,
                }
                for name in names
            ],
        }
        for title, names in rules.HOME_GROUPS
    ]


def _charts(months: list[str], by_month: dict[str, MonthSnapshot]) -> list[charts.Chart]:
    monthly = {month: rules.month_figures(by_month.get(month)) for month in months}
    return [
        charts.trend(
            f"tendencia-{name}",
            FIGURES[name][0],
            [(month, monthly[month][name] if month in by_month else None) for month in months],
            FIGURES[name][1],
        )
        for name in rules.HEADLINE
    ]


def _store_table(scope: Scope, reads: HomeReads, order: str) -> dict:
    rows = [
        StoreRow(
            store,
            scope.name(store),
            rules.so_far_figures(
                [reads.so_far[store]],
                reads.closed[store].state if store in reads.closed else {},
            ),
        )
        for store in scope.stores
    ]
    return {
        "colunas": [
            {
                "rotulo": FIGURES[name][0],
                "href": f"{HREF}?{urlencode({'ordem': name})}",
                "atual": name == order,
            }
            for name in rules.STORE_COLUMNS
        ],
        "por_nome": {"href": f"{HREF}?{urlencode({'ordem': 'loja'})}", "atual": order == "loja"},
        "linhas": [
            {
                "nome": row.name,
                "href": f"{HREF}?{urlencode({'loja': row.store_id})}",
                "valores": [
                    shown(row.figures[name], FIGURES[name][1], charts.MISSING)
                    for name in rules.STORE_COLUMNS
                ],
            }
            for row in rules.sorted_rows(rows, order)
        ],
    }
