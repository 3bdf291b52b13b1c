"""The manager's dashboard (`/painel`). Not built yet: every path answers a clean 404
page, so the blueprint, its routes and its tests have a place to grow."""

from __future__ import annotations

from bemtevi.web import page
from functions.portal.pages import Page


def not_built_yet() -> Page:
    return Page(404, page("dashboard_soon.html"))
