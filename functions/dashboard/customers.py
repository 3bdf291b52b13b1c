"""/painel/clientes (network admins and store managers): find a customer by CPF or
phone, exactly, validated and hashed as the till does (the CPF travels in a POSTed form,
never in a URL; every search is audited without it), and the customer's page by their
pseudonymous id: profile (masked for store managers), points, live lots, the ledger a
page at a time, messages and replies, channel choices. A store manager opens only the
customers who bought at one of their stores; anyone else, or another tenant's, is 404."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from bemtevi.domain.customers import Customer, normalized_cpf, normalized_phone
from bemtevi.domain.identity import Identity
from bemtevi.domain.staff import Manager
from bemtevi.errors import BemteviError, InvalidInput, NotFound
from bemtevi.store import customers, figures
from bemtevi.store import messages as message_log
from functions.common import tenancy
from functions.dashboard import customer_view, session
from functions.dashboard.audit import audit
from functions.dashboard.common import problem
from functions.dashboard.forms import FORM_FIELD, Errors, form_page
from functions.dashboard.session import Visit
from functions.dashboard.signin import REFUSED_FORM, redirect
from functions.portal.pages import Page

HREF = "/painel/clientes"
PAGE_SIZE = 20
NOT_FOUND = "Nenhum cliente encontrado com este CPF ou celular."
ONE_OF_THEM = "Informe o CPF ou o celular do cliente (um dos dois)."
CUSTOMER_ID = re.compile(r"c[a-z0-9]{8,48}")
LEDGER_PREFIX = "LEDGER#"


def find_page(
    manager: Manager, visit: Visit, status: int = 200, errors: Errors | None = None
) -> Page:
    """The search form; after a refusal, re-filled, the message next to its field."""
    return form_page(
        manager,
        visit,
        HREF,
        "painel/clientes.html",
        "Clientes",
        status,
        erros=errors or {},
        form=dict(visit.form) if errors else {},
    )


def find_customer(manager: Manager, visit: Visit) -> Page:
    """303 to the customer's page, or the form again: 403 for a form that is not
    genuine, 400 for a CPF or phone the till would refuse, 404 for nobody (or somebody
    the manager may not open: the answer does not tell them apart)."""
    if not session.form_is_genuine(visit):
        return find_page(manager, visit, 403, {FORM_FIELD: REFUSED_FORM})
    try:
        searched, identity = _identity(manager.tenant_id, visit.form)
    except InvalidInput as error:
        return find_page(manager, visit, error.status, {error.field or FORM_FIELD: error.message})
    found = customers.find(manager.tenant_id, identity).customer
    if found is not None and not may_open(manager, found):
        found = None
    outcome = f"cliente {found.customer_id}" if found else "nenhum cliente encontrado"
    audit(manager, "lookup", f"Busca por {searched}: {outcome}", visit.source_ip)
    if found is None:
        return find_page(manager, visit, 404, {FORM_FIELD: NOT_FOUND})
    return redirect(f"{HREF}/{found.customer_id}")


def _identity(tenant_id: str, form: Mapping[str, str]) -> tuple[str, Identity]:
    """What was searched by ("CPF" or "celular") and the identity the till would derive
    from it (the tenant's pepper hashes it to the alias keys)."""
    cpf_text, phone_text = form.get("cpf", "").strip(), form.get("phone", "").strip()
    if bool(cpf_text) == bool(phone_text):
        raise InvalidInput("cpf_or_phone", ONE_OF_THEM, FORM_FIELD)
    cpf = normalized_cpf(cpf_text, "cpf") if cpf_text else None
    phone = normalized_phone(phone_text, "phone") if phone_text else None
    pepper = tenancy.tenant(tenant_id).pepper
    return ("CPF" if cpf else "celular"), customers.identity_for(pepper, cpf, phone)


def may_open(manager: Manager, customer: Customer) -> bool:
    """A network admin opens every customer; a store manager, those who bought at one
    of their stores."""
    return manager.sees_network or bool(customer.stores_seen() & manager.stores)


def customer_page(
    manager: Manager, visit: Visit, customer_id: str, now: datetime | None = None
) -> Page:
    """The customer's page, or the problem page (404: nobody the manager may open; 400:
    a page parameter that is not ours)."""
    try:
        return _customer_page(manager, visit, customer_id, now or datetime.now(UTC))
    except BemteviError as error:
        if error.status >= 500:
            raise
        return problem(manager, HREF, error)


def _customer_page(manager: Manager, visit: Visit, customer_id: str, now: datetime) -> Page:
    customer = _visible_customer(manager, customer_id)
    after = _ledger_start(visit.query.get("pagina", ""))
    network = figures.network_of(manager.tenant_id)
    entries, next_start = customers.ledger_page(
        manager.tenant_id, customer.customer_id, PAGE_SIZE, after
    )
    sent, replies = message_log.conversation_of(manager.tenant_id, customer.customer_id)
    view = customer_view.CustomerView(network, not manager.sees_network, now)
    return form_page(
        manager,
        visit,
        HREF,
        "painel/cliente.html",
        view.title(customer),
        customer_id=customer.customer_id,
        stores=sorted(network.stores.items(), key=lambda store: store[1]),
        perfil=view.profile(customer),
        pontos=view.points(customer),
        lotes=view.lots(customer),
        extrato=[view.entry(entry) for entry in entries],
        proxima=f"?pagina={_encoded(next_start)}" if next_start else "",
        primeira_pagina=after is None,
        mensagens=view.messages(sent),
        respostas=view.replies(replies),
        canais=view.channels(customer),
        ajustado=visit.query.get("ajuste") == "ok",
        ajuste=manager.sees_network,
    )


def _visible_customer(manager: Manager, customer_id: str) -> Customer:
    customer = (
        customers.find_by_id(manager.tenant_id, customer_id)
        if CUSTOMER_ID.fullmatch(customer_id)
        else None
    )
    if customer is None or not may_open(manager, customer):
        raise NotFound("customer_not_found", "Cliente não encontrado.", None)
    return customer


def _encoded(sort_key: str) -> str:
    """A ledger position as an opaque page parameter."""
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def _ledger_start(parameter: str) -> str | None:
    """The ledger position a page parameter names (None: the first page); the Query is
    in the customer's own partition whatever it says, so it reads nothing of anyone else."""
    if not parameter:
        return None
    try:
        decoded = base64.urlsafe_b64decode(parameter + "=" * (-len(parameter) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if not decoded.startswith(LEDGER_PREFIX) or not decoded.isprintable():
        raise InvalidInput("invalid_parameter", "Página do extrato inválida.", "pagina")
    return decoded
