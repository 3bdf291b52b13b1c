"""/painel/beneficios (network admins): the benefit rules with what each gave last month
(redemptions and value, net of cancellations, from the store-day counters); create a
discount or product benefit, change its points and period, activate and deactivate it.
Every change goes through the function `bemtevi benefit ...` calls, so a value is
refused with the same message; the till reads the rules fresh at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain.benefits import PRODUCT
from bemtevi.domain.money import brl
from bemtevi.domain.months import first_day, last_day, month_of, previous_month
from bemtevi.domain.staff import Manager
from bemtevi.store import benefit_counts, network
from functions.dashboard.forms import Errors, form_page, submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import redirect
from functions.network import benefit_rules
from functions.portal.pages import Page

HREF = "/painel/beneficios"
STORE = "store."
FIELDS = {"value": "discount"}
"""A refusal's field as the form names it (the domain calls the discount `value`)."""
NOTICES = {
    "criado": "Benefício salvo: vale no caixa a partir da próxima consulta.",
    "alterado": "Benefício alterado: vale no caixa a partir da próxima consulta.",
    "ativado": "Benefício ativado.",
    "desativado": "Benefício desativado: o caixa já não o oferece.",
}
MONTHS = (
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
)


def benefits_page(
    manager: Manager, visit: Visit, status: int = 200, errors: Errors | None = None
) -> Page:
    """The list and its forms; after a refusal, the refused form re-filled (`alvo` names
    the benefit whose change form it was, empty for the new benefit's)."""
    tenant = network.get_tenant(manager.tenant_id)
    stores = network.list_stores(manager.tenant_id)
    benefits = benefit_rules.list_benefits(manager.tenant_id)
    month = previous_month(month_of(datetime.now(UTC).astimezone(ZoneInfo(tenant.timezone)).date()))
    figures = _last_month(manager.tenant_id, [s.store_id for s in stores], benefits, month)
    names = {store.store_id: store.name for store in stores}
    return form_page(
        manager,
        visit,
        HREF,
        "painel/beneficios.html",
        "Benefícios",
        status,
        beneficios=[_row(benefit, names, figures[benefit["id"]]) for benefit in benefits],
        lojas=[{"id": store.store_id, "name": store.name} for store in stores],
        mes=_month_name(month),
        erros={FIELDS.get(field, field): text for field, text in (errors or {}).items()},
        form=dict(visit.form) if errors else {},
        alvo=visit.form.get("beneficio", "") if errors else None,
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
        cache_segundos=int(settings.config_cache_seconds()),
    )


def add_benefit(manager: Manager, visit: Visit) -> Page:
    form = visit.form
    stores = [name.removeprefix(STORE) for name in form if name.startswith(STORE)]
    return _changed(
        manager,
        visit,
        lambda: benefit_rules.add_benefit_from_text(manager.tenant_id, dict(form), stores),
        f"Benefício {form.get('id', '')} salvo",
        "criado",
    )


def change_benefit(manager: Manager, visit: Visit) -> Page:
    form = visit.form
    benefit_id = form.get("beneficio", "")
    return _changed(
        manager,
        visit,
        lambda: benefit_rules.change_benefit(
            manager.tenant_id,
            benefit_id,
            benefit_rules.points_from_text(form.get("points", "")),
            benefit_rules.day_from_text(form.get("starts_on", ""), "starts_on"),
            benefit_rules.day_from_text(form.get("ends_on", ""), "ends_on"),
        ),
        f"Benefício {benefit_id} alterado (pontos e período)",
        "alterado",
    )


def switch_benefit(manager: Manager, visit: Visit) -> Page:
    """Activate (`ativo=sim`) or deactivate the benefit the form names."""
    benefit_id, active = visit.form.get("beneficio", ""), visit.form.get("ativo") == "sim"
    switch = benefit_rules.enable_benefit if active else benefit_rules.disable_benefit
    return _changed(
        manager,
        visit,
        lambda: switch(manager.tenant_id, benefit_id),
        f"Benefício {benefit_id} {'ativado' if active else 'desativado'}",
        "ativado" if active else "desativado",
    )


def _changed(
    manager: Manager, visit: Visit, change: Callable[[], dict], detail: str, notice: str
) -> Page:
    return submitted(
        manager,
        visit,
        change,
        detail,
        lambda status, errors: benefits_page(manager, visit, status, errors),
        lambda _: redirect(f"{HREF}?aviso={notice}"),
    )


def _last_month(
    tenant_id: str, stores: list[str], benefits: list[dict], month: str
) -> dict[str, dict[str, int]]:
    start, end = first_day(month), last_day(month)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return benefit_counts.per_benefit(tenant_id, stores, days, [b["id"] for b in benefits])


def _row(benefit: dict, store_names: dict[str, str], figures: dict[str, int]) -> dict:
    """A benefit as the table shows it, in Portuguese and reais."""
    product = benefit["kind"] == PRODUCT
    return {
        **benefit,
        "tipo": f"Produto {benefit['sku']}" if product else "Desconto",
        "valor": brl(benefit["value"]),
        "minimo": brl(benefit["minimum_purchase"]) if benefit["minimum_purchase"] else "—",
        "onde": ", ".join(store_names.get(s, s) for s in benefit["stores"]) or "Todas",
        "periodo": _period(benefit["starts_on"], benefit["ends_on"]),
        "trocas": figures["redemptions"],
        "concedido": brl(figures["value"]),
    }


def _period(starts_on: str | None, ends_on: str | None) -> str:
    if not starts_on and not ends_on:
        return "Sempre"
    start = _day(starts_on) if starts_on else "sem início"
    end = _day(ends_on) if ends_on else "sem fim"
    return f"{start} a {end}"


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} de {year}"
