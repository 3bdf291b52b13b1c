"""The manager's dashboard, `/painel`: sign-in pages (open), and pages behind
`@signed_in(roles)`, whose roles come from the section table (navigation.SECTIONS)."""

from __future__ import annotations

from chalice import Blueprint, Response

from bemtevi.domain.staff import Manager, Role
from bemtevi.lazy import lazy_module
from chalicelib.answers import page
from chalicelib.staff_session import signed_in, visit
from functions.dashboard.navigation import roles_for

dashboard = lazy_module("functions.dashboard.pages")
signin = lazy_module("functions.dashboard.signin")
audit = lazy_module("functions.dashboard.audit")

painel = Blueprint(__name__)
FORM = {"content_types": ["application/x-www-form-urlencoded"]}
EVERYONE = frozenset(Role)


@painel.route("/painel/entrar", methods=["GET"])
def get_sign_in() -> Response:
    return page(signin.sign_in_form(visit()))


@painel.route("/painel/entrar", methods=["POST"], **FORM)
def post_sign_in() -> Response:
    return page(signin.sign_in(visit()))


@painel.route("/painel/nova-senha", methods=["POST"], **FORM)
def post_new_password() -> Response:
    return page(signin.new_password(visit()))


@painel.route("/painel/esqueci", methods=["GET"])
def get_forgot() -> Response:
    return page(signin.forgot_form(visit()))


@painel.route("/painel/esqueci", methods=["POST"], **FORM)
def post_forgot() -> Response:
    return page(signin.forgot(visit()))


@painel.route("/painel/esqueci/confirmar", methods=["POST"], **FORM)
def post_confirm_forgot() -> Response:
    return page(signin.confirm_forgot(visit()))


@painel.route("/painel/sair", methods=["GET"])
@signed_in(roles_for("/painel/sair"))
def get_sign_out(manager: Manager) -> Response:
    return page(signin.sign_out_form(manager, visit()))


@painel.route("/painel/sair", methods=["POST"], **FORM)
@signed_in(roles_for("/painel/sair"))
def post_sign_out(manager: Manager) -> Response:
    return page(signin.sign_out(manager, visit()))


@painel.route("/painel", methods=["GET"])
@signed_in(roles_for("/painel"))
def get_dashboard(manager: Manager) -> Response:
    return page(dashboard.welcome(manager))


@painel.route("/painel/auditoria", methods=["GET"])
@signed_in(roles_for("/painel/auditoria"))
def get_audit(manager: Manager) -> Response:
    return page(audit.audit_page(manager, visit().query))


@painel.route("/painel/{section}", methods=["GET"])
@signed_in(EVERYONE)
def get_dashboard_section(manager: Manager, section: str) -> Response:
    return page(dashboard.not_built_yet())
