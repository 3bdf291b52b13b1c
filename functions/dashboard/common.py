"""What every figure page does alike: the signed-in manager's scope (the whole network, or
the stores they may see, or the one store `?loja=` names), query parameters checked, the
page rendered in the dashboard's layout, and problems as pages in Portuguese (400 for a
malformed parameter, 403 for a store out of the manager's scope, 404 for a store the
network does not have)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps
from zoneinfo import ZoneInfo

from bemtevi.domain.dashboard import Network
from bemtevi.domain.months import month_of, parsed_month, parsed_range
from bemtevi.domain.staff import Manager
from bemtevi.errors import BemteviError, InvalidInput, NotFound
from bemtevi.store import figures
from bemtevi.web import page
from functions.dashboard.navigation import nav_for
from functions.portal.pages import Page

Query = Mapping[str, str]
PageFunction = Callable[..., Page]


class OutOfScope(BemteviError):
    status = 403


@dataclass(frozen=True)
class Scope:
    """Whose figures a page shows: `store` when one store is chosen; `stores`, the stores
    shown (all the visible ones when none is chosen); `whole_network` when they are the
    network's, so the network's own snapshots apply."""

    network: Network
    stores: list[str]
    store: str | None
    whole_network: bool

    def today(self, now: datetime | None = None) -> date:
        return (now or datetime.now(UTC)).astimezone(ZoneInfo(self.network.timezone)).date()

    @property
    def this_month(self) -> str:
        return month_of(self.today())

    def name(self, store_id: str) -> str:
        return self.network.stores.get(store_id, store_id)

    @property
    def label(self) -> str:
        if self.store:
            return f"{self.network.name}: {self.name(self.store)}"
        if self.whole_network:
            return f"{self.network.name}: todas as lojas"
        return "Suas lojas: " + ", ".join(self.name(store) for store in self.stores)


def scope_of(manager: Manager, query: Query) -> Scope:
    """The manager's scope; `loja` must be a store of their network (else 404) that they
    may see (else 403)."""
    network = figures.network_of(manager.tenant_id)
    visible = manager.visible_stores(sorted(network.stores, key=lambda s: network.stores[s]))
    chosen = query.get("loja") or None
    if chosen is not None:
        if chosen not in network.stores:
            raise NotFound("store_not_found", "Loja não encontrada nesta rede.", "loja")
        if not manager.sees_store(chosen):
            raise OutOfScope("out_of_scope", "Você não tem acesso a esta loja.", "loja")
        return Scope(network, [chosen], chosen, False)
    return Scope(network, visible, None, manager.sees_network)


def month_param(query: Query, name: str, default: str) -> str:
    text = query.get(name) or ""
    return parsed_month(text, name) if text else default


def range_param(query: Query, name: str, default: tuple[str, str]) -> tuple[str, str]:
    text = query.get(name) or ""
    return parsed_range(text, name) if text else default


def rendered(
    manager: Manager, href: str, template: str, title: str, status: int = 200, **context: object
) -> Page:
    body = page(template, title=title, manager=manager, nav=nav_for(manager, href), **context)
    return Page(status, body)


def answering_problems(href: str) -> Callable[[PageFunction], PageFunction]:
    """A page function whose 4xx errors become the dashboard's problem page."""

    def decorate(function: PageFunction) -> PageFunction:
        @wraps(function)
        def page_or_problem(manager: Manager, query: Query, *more: str) -> Page:
            try:
                return function(manager, query, *more)
            except BemteviError as error:
                if error.status >= 500:
                    raise
                return problem(manager, href, error)

        return page_or_problem

    return decorate


TITLES = {
    400: "Endereço inválido",
    403: "Acesso negado",
    404: "Não encontrado",
    409: "Ainda não disponível",
}


def problem(manager: Manager, href: str, error: BemteviError) -> Page:
    title = TITLES.get(error.status, "Não foi possível mostrar a página")
    return rendered(
        manager, href, "painel/problema.html", title, error.status, mensagem=error.message
    )


def invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput("invalid_parameter", message, field)
