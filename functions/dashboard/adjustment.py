"""POST /painel/clientes/{customer_id}/ajuste (network admins only): a manual adjustment
of a customer's points through the function `bemtevi customer adjust` calls, so a value
is refused with the same message. The form is `painel/ajuste.html`, which the customer
page includes; a refused value comes back in a small page of its own (400, the message
next to its field, the form re-filled, nothing written). A form that is not genuine is
refused (403) before anything is read; another tenant's customer is 404; an adjustment
that went through is audited (its customer id, points, store and reason: never a CPF)
and answered with a redirect to the customer page."""

from __future__ import annotations

import re

from bemtevi.domain.customers import masked_email
from bemtevi.domain.staff import Manager, Role
from bemtevi.errors import BemteviError, NotFound
from bemtevi.store import network
from functions.dashboard import pages, session
from functions.dashboard.audit import audit
from functions.dashboard.common import problem
from functions.dashboard.forms import FORM_FIELD, Errors, form_page
from functions.dashboard.session import Visit
from functions.dashboard.signin import REFUSED_FORM, redirect
from functions.loyalty import adjustments
from functions.portal.pages import Page

HREF = "/painel/clientes"
ROLES = frozenset({Role.NETWORK})
FIELDS = ("points", "reason", "store_id", "adjustment_id")
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def customer_href(customer_id: str) -> str:
    return f"{HREF}/{customer_id}"


def adjust(manager: Manager, visit: Visit, customer_id: str) -> Page:
    """Apply the adjustment the form describes, or say why not."""
    if manager.role not in ROLES:
        return pages.forbidden(manager)
    if not _CUSTOMER_ID.match(customer_id):
        return problem(manager, "", _not_found())
    if not session.form_is_genuine(visit):
        return refused(manager, visit, customer_id, 403, {FORM_FIELD: REFUSED_FORM})
    form = visit.form
    try:
        answer = adjustments.adjust_points(
            manager.tenant_id,
            customer_id,
            form.get("points", ""),
            form.get("reason", ""),
            form.get("store_id", ""),
            actor=masked_email(manager.email),
            adjustment_id=form.get("adjustment_id", ""),
        )
    except NotFound as error:
        return problem(manager, "", error)
    except BemteviError as error:
        if error.status >= 500:
            raise
        field = error.field if error.field in FIELDS else FORM_FIELD
        return refused(manager, visit, customer_id, error.status, {field: error.message})
    if not answer["replayed"]:
        audit(manager, "change", _detail(answer), visit.source_ip)
    return redirect(f"{customer_href(customer_id)}?ajuste=ok")


def refused(manager: Manager, visit: Visit, customer_id: str, status: int, errors: Errors) -> Page:
    """The form again, with what was typed and the refusal next to its field."""
    stores = [(s.store_id, s.name) for s in network.list_stores(manager.tenant_id) if s.active]
    return form_page(
        manager,
        visit,
        HREF,
        "painel/ajuste_recusado.html",
        "Ajuste de pontos",
        status,
        customer_id=customer_id,
        stores=stores,
        valores={name: visit.form.get(name, "") for name in FIELDS},
        erros=errors,
    )


def _detail(answer: dict) -> str:
    return (
        f"Ajuste de pontos: cliente {answer['customer_id']}, {answer['points']:+d} pontos, "
        f"loja {answer['store_id']}, motivo: {answer['reason']}"
    )


def _not_found() -> NotFound:
    return NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
