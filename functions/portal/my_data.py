""" "Meus dados" in the portal (LGPD): everything held about the customer, a JSON
download of it, and the erasure, confirmed from the personal link itself (a form token
bound to the link, a browser's `Origin` naming this site, and a ticked confirmation)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qs

from bemtevi.security import links
from bemtevi.web import SECURITY_HEADERS, from_this_site, page
from functions.portal.pages import FORM_FIELD, Page, _customer_of, _refused
from functions.privacy import rights

CONFIRM_FIELD = "confirmo"


def show(token: str, now: datetime | None = None) -> Page:
    now = now or datetime.now(UTC)
    found = _customer_of(token, now)
    if isinstance(found, Page):
        return found
    tenant, customer, _ = found
    document = rights.export(tenant.tenant_id, customer.customer_id)
    return Page(
        200,
        page(
            "meus_dados.html",
            rede=tenant.name,
            dados=document,
            documento=json.dumps(document, ensure_ascii=False, indent=2),
            voltar=f"/portal/{token}",
            baixar=f"/portal/{token}/meus-dados.json",
            acao=f"/portal/{token}/apagar",
            campo_formulario=FORM_FIELD,
            token_formulario=links.form_token(tenant.pepper, token),
            campo_confirmacao=CONFIRM_FIELD,
        ),
    )


def download(token: str, now: datetime | None = None) -> Page:
    now = now or datetime.now(UTC)
    found = _customer_of(token, now)
    if isinstance(found, Page):
        return found
    tenant, customer, _ = found
    document = rights.export(tenant.tenant_id, customer.customer_id)
    headers = {
        **SECURITY_HEADERS,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": 'attachment; filename="meus-dados.json"',
    }
    return Page(200, json.dumps(document, ensure_ascii=False, indent=2), headers)


def erase(token: str, form: bytes, headers: Mapping[str, str], now: datetime | None = None) -> Page:
    """Erase at once, when the link's own page asked with the box ticked."""
    now = now or datetime.now(UTC)
    found = _customer_of(token, now)
    if isinstance(found, Page):
        return found
    tenant, customer, _ = found
    fields = parse_qs(form.decode("utf-8", "replace"))
    given = fields.get(FORM_FIELD, [""])[0]
    if not from_this_site(headers) or not links.form_token_matches(tenant.pepper, token, given):
        return _refused()
    if fields.get(CONFIRM_FIELD, [""])[0] != "sim":
        return Page(303, "", {**SECURITY_HEADERS, "Location": f"/portal/{token}/meus-dados"})
    receipt = rights.erase(tenant.tenant_id, customer.customer_id, now, source="portal")
    return Page(
        200,
        page("dados_apagados.html", rede=tenant.name, recibo=receipt["cliente"], quando=now),
    )
