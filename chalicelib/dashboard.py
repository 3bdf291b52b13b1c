"""The manager's dashboard, `/painel`: a placeholder until its pages exist."""

from __future__ import annotations

from chalice import Blueprint, Response

from bemtevi.lazy import lazy_module
from chalicelib.answers import page

dashboard = lazy_module("functions.dashboard.pages")

painel = Blueprint(__name__)


@painel.route("/painel", methods=["GET"])
def get_dashboard() -> Response:
    return page(dashboard.not_built_yet())


@painel.route("/painel/{section}", methods=["GET"])
def get_dashboard_section(section: str) -> Response:
    return page(dashboard.not_built_yet())
