"""The manager's dashboard, `/painel`: sign-in pages (open), and pages behind
`@signed_in(roles)`, whose roles come from the section table (navigation.SECTIONS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response

from bemtevi.domain.staff import Manager, Role
from bemtevi.lazy import lazy_module
from chalicelib.answers import page, when_aws_is_down
from chalicelib.staff_session import signed_in, visit
from functions.dashboard.navigation import roles_for

dashboard = lazy_module("functions.dashboard.pages")
signin = lazy_module("functions.dashboard.signin")
audit = lazy_module("functions.dashboard.audit")
home = lazy_module("functions.dashboard.home")
compare = lazy_module("functions.dashboard.compare")
compensation = lazy_module("functions.dashboard.compensation")
messages = lazy_module("functions.dashboard.messages")
stores = lazy_module("functions.dashboard.stores")
program = lazy_module("functions.dashboard.program")
texts = lazy_module("functions.dashboard.texts")
texts_sending = lazy_module("functions.dashboard.texts_sending")

customers = lazy_module("functions.dashboard.customers")

adjustment = lazy_module("functions.dashboard.adjustment")

benefits = lazy_module("functions.dashboard.benefits")
catalogue = lazy_module("functions.dashboard.catalogue")

campaign_pages = lazy_module("functions.dashboard.campaigns")

painel = Blueprint(__name__)
FORM = {"content_types": ["application/x-www-form-urlencoded"]}
EVERYONE = frozenset(Role)


def section(path: str, roles: frozenset[Role] | None = None, **options: Any) -> Callable:
    """A signed-in GET page of the section at `path` (its roles from the section table),
    whose answer says "try again" (503) when AWS does not answer."""

    def register(view: Callable[..., Response]) -> Callable[..., Response]:
        allowed = roles if roles is not None else roles_for(path)
        guarded = signed_in(allowed)(view)
        answered = when_aws_is_down(lambda _: page(dashboard.unavailable()))(guarded)
        return painel.route(path, methods=["GET"], **options)(answered)

    return register


def form(path: str, section_href: str, roles: frozenset[Role] | None = None) -> Callable:
    """A signed-in POST form at `path`, for the roles of the section at `section_href`
    (or `roles`, when the form is for fewer people than its section's page)."""

    def register(view: Callable[..., Response]) -> Callable[..., Response]:
        guarded = signed_in(roles if roles is not None else roles_for(section_href))(view)
        answered = when_aws_is_down(lambda _: page(dashboard.unavailable()))(guarded)
        return painel.route(path, methods=["POST"], **FORM)(answered)

    return register


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


@section("/painel")
def get_home(manager: Manager) -> Response:
    return page(home.home(manager, visit().query))


@section("/painel/comparar")
def get_compare(manager: Manager) -> Response:
    return page(compare.compare(manager, visit().query))


@section("/painel/compensacao")
def get_compensation(manager: Manager) -> Response:
    return page(compensation.compensation(manager, visit().query))


@section("/painel/compensacao.csv", frozenset({Role.NETWORK}))
def get_compensation_csv(manager: Manager) -> Response:
    found = visit()
    return page(compensation.compensation_csv(manager, found.query, found.source_ip))


@section("/painel/mensagens")
def get_messages(manager: Manager) -> Response:
    return page(messages.messages(manager, visit().query))


@section("/painel/auditoria")
def get_audit(manager: Manager) -> Response:
    return page(audit.audit_page(manager, visit().query))


@section("/painel/lojas")
def get_stores(manager: Manager) -> Response:
    return page(stores.stores_page(manager, visit()))


@form("/painel/lojas", "/painel/lojas")
def post_store(manager: Manager) -> Response:
    return page(stores.add_store(manager, visit()))


@form("/painel/lojas/renomear", "/painel/lojas")
def post_store_name(manager: Manager) -> Response:
    return page(stores.rename_store(manager, visit()))


@form("/painel/lojas/segredo", "/painel/lojas")
def post_store_secret(manager: Manager) -> Response:
    return page(stores.rotate_secret(manager, visit()))


@form("/painel/lojas/aposentar", "/painel/lojas")
def post_store_retirement(manager: Manager) -> Response:
    return page(stores.retire_old_secret(manager, visit()))


@section("/painel/programa")
def get_program(manager: Manager) -> Response:
    return page(program.program_page(manager, visit()))


@form("/painel/programa", "/painel/programa")
def post_program(manager: Manager) -> Response:
    return page(program.set_program(manager, visit()))


@section("/painel/textos")
def get_texts(manager: Manager) -> Response:
    return page(texts.texts_page(manager, visit()))


@section("/painel/textos/editar", roles_for("/painel/textos"))
def get_text(manager: Manager) -> Response:
    return page(texts.edit_page(manager, visit()))


@form("/painel/textos/editar", "/painel/textos")
def post_text(manager: Manager) -> Response:
    return page(texts.post_text(manager, visit()))


@form("/painel/textos/padrao", "/painel/textos")
def post_text_reset(manager: Manager) -> Response:
    return page(texts.reset_text(manager, visit()))


@form("/painel/textos/envio", "/painel/textos")
def post_sending(manager: Manager) -> Response:
    return page(texts_sending.set_sending(manager, visit()))


@section("/painel/clientes")
def get_customers(manager: Manager) -> Response:
    return page(customers.find_page(manager, visit()))


@form("/painel/clientes", "/painel/clientes")
def post_customer_search(manager: Manager) -> Response:
    return page(customers.find_customer(manager, visit()))


@section("/painel/clientes/{customer_id}", roles_for("/painel/clientes"))
def get_customer(manager: Manager, customer_id: str) -> Response:
    return page(customers.customer_page(manager, visit(), customer_id))


@form("/painel/clientes/{customer_id}/ajuste", "/painel/clientes", frozenset({Role.NETWORK}))
def post_adjustment(manager: Manager, customer_id: str) -> Response:
    return page(adjustment.adjust(manager, visit(), customer_id))


@section("/painel/beneficios")
def get_benefits(manager: Manager) -> Response:
    return page(benefits.benefits_page(manager, visit()))


@form("/painel/beneficios", "/painel/beneficios")
def post_benefit(manager: Manager) -> Response:
    return page(benefits.add_benefit(manager, visit()))


@form("/painel/beneficios/alterar", "/painel/beneficios")
def post_benefit_change(manager: Manager) -> Response:
    return page(benefits.change_benefit(manager, visit()))


@form("/painel/beneficios/ativo", "/painel/beneficios")
def post_benefit_switch(manager: Manager) -> Response:
    return page(benefits.switch_benefit(manager, visit()))


@section("/painel/catalogo")
def get_catalogue(manager: Manager) -> Response:
    return page(catalogue.catalogue_page(manager, visit().query))


@section("/painel/campanhas")
def get_campaigns(manager: Manager) -> Response:
    return page(campaign_pages.list_page(manager, visit()))


@section("/painel/campanhas/nova", roles_for("/painel/campanhas"))
def get_new_campaign(manager: Manager) -> Response:
    return page(campaign_pages.new_page(manager, visit()))


@form("/painel/campanhas/nova", "/painel/campanhas")
def post_new_campaign(manager: Manager) -> Response:
    return page(campaign_pages.post_new(manager, visit()))


@section("/painel/campanhas/{campaign_id}", roles_for("/painel/campanhas"))
def get_campaign(manager: Manager, campaign_id: str) -> Response:
    return page(campaign_pages.campaign_page(manager, visit(), campaign_id))


@form("/painel/campanhas/{campaign_id}/{verb}", "/painel/campanhas")
def post_campaign_action(manager: Manager, campaign_id: str, verb: str) -> Response:
    return page(campaign_pages.act(manager, visit(), campaign_id, verb))


@section("/painel/{name}", EVERYONE)
def get_dashboard_section(manager: Manager, name: str) -> Response:
    return page(dashboard.not_found(manager))
