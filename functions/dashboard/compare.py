"""Comparar (`/painel/comparar?de=AAAA-MM&ate=AAAA-MM&loja=`): two periods side by side
(each a month or a range "AAAA-MM..AAAA-MM"), for the network, the manager's stores or one
store: each figure in both, its change in % and a chart of the headline figures. The same
rules as `bemtevi metrics compare` (bemtevi.domain.metrics.period and compare)."""

from __future__ import annotations

from bemtevi.domain import dashboard as rules
from bemtevi.domain import metrics
from bemtevi.domain.labels import FIGURES, change, shown
from bemtevi.domain.metrics import NETWORK
from bemtevi.domain.months import checked_range, previous_month
from bemtevi.domain.staff import Manager
from bemtevi.store import figures
from functions.dashboard import charts
from functions.dashboard.common import Query, Scope, answering_problems, range_param, rendered
from functions.dashboard.common import scope_of as scope_for
from functions.portal.pages import Page

HREF = "/painel/comparar"
CHARTED = ("gross_revenue", *rules.HEADLINE)


@answering_problems(HREF)
def compare(manager: Manager, query: Query) -> Page:
    scope = scope_for(manager, query)
    last = previous_month(scope.this_month)
    a = range_param(query, "de", (previous_month(last), previous_month(last)))
    b = range_param(query, "ate", (last, last))
    checked_range(min(a[0], b[0]), max(a[1], b[1]), "ate")
    found = _snapshots(manager.tenant_id, scope, min(a[0], b[0]), max(a[1], b[1]))
    first, second = metrics.period(*a, found), metrics.period(*b, found)
    rows = metrics.compare(first, second)
    names = (_name(*a), _name(*b))
    return rendered(
        manager,
        HREF,
        "painel/comparar.html",
        "Comparar períodos",
        escopo=scope.label,
        periodos=names,
        vazios=[name for name, p in zip(names, (first, second), strict=True) if not p.months],
        linhas=[_row(row) for row in rows if row["figure"] in FIGURES],
        graficos=[_chart(row, names) for row in rows if row["figure"] in CHARTED],
        filtro={"de": _text(*a), "ate": _text(*b), "loja": scope.store or ""},
        lojas=_choices(manager, scope),
    )


def _snapshots(tenant_id: str, scope: Scope, first: str, last: str) -> list:
    if scope.whole_network:
        return figures.snapshots(tenant_id, [NETWORK], first, last)
    found = figures.snapshots(tenant_id, scope.stores, first, last)
    return found if len(scope.stores) == 1 else rules.combined("stores", found)


def _row(row: dict) -> dict:
    label, how = FIGURES[row["figure"]]
    bp = row["change_bp"]
    return {
        "rotulo": label,
        "a": shown(row["a"], how, charts.MISSING),
        "b": shown(row["b"], how, charts.MISSING),
        "variacao": change(bp, charts.MISSING),
        "sentido": "" if not bp else ("sobe" if bp > 0 else "desce"),
    }


def _chart(row: dict, names: tuple[str, str]) -> charts.Chart:
    label, how = FIGURES[row["figure"]]
    sides = [(f"A: {names[0]}", row["a"]), (f"B: {names[1]}", row["b"])]
    return charts.pair(f"par-{row['figure']}", label, sides, how)


def _name(first: str, last: str) -> str:
    start = charts.month_label(first)
    return start if first == last else f"{start} a {charts.month_label(last)}"


def _text(first: str, last: str) -> str:
    return first if first == last else f"{first}..{last}"


def _choices(manager: Manager, scope: Scope) -> list[dict[str, object]]:
    """The stores the manager may pick (all of them first, when there are several)."""
    visible = manager.visible_stores(sorted(scope.network.stores, key=scope.name))
    everything = "Rede toda" if manager.sees_network else "Todas as suas lojas"
    several = manager.sees_network or len(visible) > 1
    pairs = [("", everything)] if several else []
    pairs += [(store, scope.name(store)) for store in visible]
    chosen = scope.store or ""
    return [{"valor": value, "nome": name, "atual": value == chosen} for value, name in pairs]
