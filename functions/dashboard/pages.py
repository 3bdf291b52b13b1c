"""The dashboard's answers that belong to no section: the page a role may not open
(403), a path without a page (404), and AWS not answering (503)."""

from __future__ import annotations

from bemtevi.domain.staff import Manager
from bemtevi.errors import NotFound
from bemtevi.web import page
from functions.dashboard.common import problem
from functions.dashboard.navigation import nav_for
from functions.portal.pages import Page


def not_found(manager: Manager) -> Page:
    return problem(manager, "", NotFound("not_found", "Esta página do painel não existe.", None))


def unavailable() -> Page:
    """AWS did not answer: a page that says to try again, never a JSON error."""
    return Page(503, page("painel/fora_do_ar.html"))


def forbidden(manager: Manager) -> Page:
    body = page(
        "painel/proibido.html", title="Sem acesso", manager=manager, nav=nav_for(manager, "")
    )
    return Page(403, body)
