"""The customer portal: `/l/<code>` (the short link in a message) leads to
`/portal/<token>`, a page in Portuguese with the customer's points, what expires and
when, the benefits, the rules, the terms, and a switch per channel. A forged or expired
link gets a friendly page and no data. The channel form is accepted only from the portal
page itself: it carries a form token bound to the link, and a browser's `Origin` (or
`Referer`) naming another site is refused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs

from babel.dates import format_date

from bemtevi.domain.customers import Customer, masked_email, masked_phone
from bemtevi.domain.ledger import expire_due
from bemtevi.domain.money import brl
from bemtevi.errors import NotFound
from bemtevi.security import links
from bemtevi.store import customers, messages, network
from bemtevi.web import SECURITY_HEADERS, from_this_site, page
from functions.common import tenancy
from functions.messaging.sending import save_opt_outs

CHANNEL_LABELS = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "E-mail"}
FORM_FIELD = "form_token"


@dataclass(frozen=True)
class Page:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=lambda: dict(SECURITY_HEADERS))


def follow(code: str, now: datetime | None = None) -> Page:
    now = now or datetime.now(UTC)
    link = messages.find_link(code) if links.is_code(code) else None
    if link is None or link.expires_at <= now:
        return _problem(expired=link is not None)
    location = portal_path(link.tenant_id, link.customer_id, link.expires_at)
    headers = {**SECURITY_HEADERS, "Location": location}
    return Page(302, "", headers)


def portal_path(tenant_id: str, customer_id: str, expires_at: datetime) -> str:
    """The portal page of a customer, valid until `expires_at` (the link's own expiry)."""
    tenant = tenancy.tenant(tenant_id)
    access = links.PortalAccess(tenant_id, customer_id, expires_at)
    return f"/portal/{links.token_for(tenant.pepper, access)}"


def show(token: str, now: datetime | None = None, saved: bool = False) -> Page:
    now = now or datetime.now(UTC)
    found = _customer_of(token, now)
    if isinstance(found, Page):
        return found
    tenant, customer, access = found
    return Page(200, _portal(tenant, customer, token, access, now, saved))


def save_channels(
    token: str, form: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> Page:
    """The form sends the channels left checked; every other reachable one is turned off.
    `headers` are the request's: lower-case names, or case-insensitive as Chalice's."""
    now = now or datetime.now(UTC)
    found = _customer_of(token, now)
    if isinstance(found, Page):
        return found
    tenant, customer, _ = found
    fields = parse_qs(form.decode("utf-8", "replace"))
    given = fields.pop(FORM_FIELD, [""])[0]
    if not from_this_site(headers) or not links.form_token_matches(tenant.pepper, token, given):
        return _refused()
    checked = set(fields)
    choices = {
        channel: channel not in checked
        for channel in _channels(tenant)
        if _contact(customer, channel)
    }
    save_opt_outs(tenant.tenant_id, customer, choices, now)
    headers = {**SECURITY_HEADERS, "Location": f"/portal/{token}?salvo=1"}
    return Page(303, "", headers)


def _customer_of(
    token: str, now: datetime
) -> tuple[tenancy.Tenant, Customer, links.PortalAccess] | Page:
    try:
        tenant = tenancy.tenant(links.tenant_of(token))
        access = links.verified(tenant.pepper, token, now)
    except links.ExpiredLink:
        return _problem(expired=True)
    except (links.InvalidLink, NotFound):
        return _problem(expired=False)
    customer = customers.find_by_id(access.tenant_id, access.customer_id)
    if customer is None or (customer.cpf is None and customer.phone is None):  # erased
        return _problem(expired=False)
    return tenant, customer, access


def _refused() -> Page:
    return Page(
        403,
        page(
            "link_problem.html",
            titulo="Não foi possível salvar",
            texto=(
                "Por segurança, suas preferências só podem ser salvas na página do seu link. "
                "Abra o link da mensagem e tente de novo."
            ),
        ),
    )


def unavailable() -> Page:
    """AWS did not answer: a page that says to try again, never a JSON error."""
    return Page(
        503,
        page(
            "link_problem.html",
            titulo="Estamos fora do ar por um instante",
            texto="Não conseguimos abrir sua página agora. Tente de novo em alguns minutos.",
        ),
    )


def _problem(expired: bool) -> Page:
    if expired:
        title, text = "Este link expirou", "Por segurança, os links do programa valem por 30 dias."
    else:
        title, text = (
            "Link inválido",
            "Não encontramos este link. Confira se ele foi copiado inteiro.",
        )
    return Page(410 if expired else 404, page("link_problem.html", titulo=title, texto=text))


def _portal(
    tenant: tenancy.Tenant,
    customer: Customer,
    token: str,
    access: links.PortalAccess,
    now: datetime,
    saved: bool,
) -> str:
    points, _ = expire_due(customers.points_of(customer), now, "portal", "-")
    expiring: dict = defaultdict(int)
    for lot in points.lots:
        expiring[lot.expires_at.astimezone(tenant.zone).date()] += lot.remaining
    program = tenant.program
    return page(
        "portal.html",
        rede=tenant.name,
        nome=(customer.name or "cliente").split()[0],
        saldo=_number(points.balance),
        disponivel=_number(points.available(now)),
        vencimentos=[
            {"pontos": _number(amount), "data": _date(day)}
            for day, amount in sorted(expiring.items())
        ],
        beneficios=_benefits(tenant, now),
        regras={
            "pontos_por_real": _points_per_real(program.points_per_real_milli),
            "validade": program.validity_days,
            "carencia": program.pending_days,
        },
        canais=[
            {
                "nome": channel,
                "rotulo": CHANNEL_LABELS[channel],
                "contato": _contact(customer, channel),
                "ativo": channel not in customer.opted_out(),
            }
            for channel in _channels(tenant)
        ],
        acao=f"/portal/{token}/canais",
        campo_formulario=FORM_FIELD,
        token_formulario=links.form_token(tenant.pepper, token),
        salvo=saved,
        validade_link=_date(access.expires_at.astimezone(tenant.zone).date()),
    )


def _benefits(tenant: tenancy.Tenant, now: datetime) -> list[dict]:
    """The benefits in force today, with the names of the stores that accept them."""
    today = tenant.today(now)
    stores = {store.store_id: store.name for store in network.list_stores(tenant.tenant_id)}
    return [
        {
            "descricao": benefit.description,
            "pontos": _number(benefit.points),
            "minimo": brl(benefit.minimum_purchase) if benefit.minimum_purchase else "",
            "lojas": ", ".join(stores.get(s, s) for s in benefit.stores),
        }
        for benefit in tenant.benefits
        if benefit.in_force(today)
    ]


def _channels(tenant: tenancy.Tenant) -> list[str]:
    channels = ["sms", "email"]
    if tenant.messaging.whatsapp_phone_number_id:
        channels.insert(1, "whatsapp")
    return channels


def _contact(customer: Customer, channel: str) -> str:
    if channel == "email":
        return masked_email(customer.email) if customer.email else ""
    return masked_phone(customer.phone) if customer.phone else ""


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _date(day) -> str:
    return format_date(day, "dd/MM/yyyy", locale="pt_BR")


def _points_per_real(milli: int) -> str:
    whole, rest = divmod(milli, 1000)
    amount = f"{whole}" if not rest else f"{whole},{rest:03d}".rstrip("0")
    return f"{amount} ponto" + ("" if milli == 1000 else "s")
