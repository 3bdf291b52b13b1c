"""The manager's dashboard (`/painel`): the signed-in welcome (until Início is built), the
page a role may not open (403), and the clean 404 of any path without a page."""

from __future__ import annotations

from bemtevi.domain.staff import Manager, Role
from bemtevi.store import network
from bemtevi.web import page
from functions.dashboard.navigation import nav_for
from functions.portal.pages import Page

ROLE_NAMES = {
    Role.NETWORK: "administrador da rede",
    Role.STORE: "gerente de loja",
    Role.SELLER: "vendedor",
}


def not_built_yet() -> Page:
    return Page(404, page("dashboard_soon.html"))


def welcome(manager: Manager) -> Page:
    """Who is signed in and which stores they see (names of the tenant's stores only)."""
    stores = network.list_stores(manager.tenant_id)
    names = [store.name for store in stores if manager.sees_store(store.store_id)]
    body = page(
        "painel/inicio.html",
        title="Início",
        manager=manager,
        nav=nav_for(manager, "/painel"),
        papel=ROLE_NAMES[manager.role],
        lojas=names,
    )
    return Page(200, body)


def forbidden(manager: Manager) -> Page:
    body = page(
        "painel/proibido.html", title="Sem acesso", manager=manager, nav=nav_for(manager, "")
    )
    return Page(403, body)
