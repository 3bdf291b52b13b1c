"""/painel/programa (network admins): the points program (points per real, validity,
pending days, per-store rates, per-category multipliers) with a live example computed by
the domain's earning rule, and the form that sets it through the function `bemtevi
program set` calls, so a value is refused with the same message."""

from __future__ import annotations

from bemtevi import settings
from bemtevi.domain.money import brl
from bemtevi.domain.program import pairs_from
from bemtevi.domain.staff import Manager
from bemtevi.store import network
from functions.dashboard.forms import Errors, form_page, submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import redirect
from functions.network import points_program
from functions.portal.pages import Page

HREF = "/painel/programa"
STORE_RATE = "store_rate."
CATEGORIES = "category_multipliers"
CATEGORIES_LABEL = "multiplicadores por categoria"
"""How the page names the categories' field in a refusal ("Use NOME=VALOR em ...")."""


def program_page(
    manager: Manager, visit: Visit, status: int = 200, errors: Errors | None = None
) -> Page:
    stores = network.list_stores(manager.tenant_id)
    program = points_program.show_program(manager.tenant_id)
    per_store, per_category = points_program.earning_examples(
        manager.tenant_id, [store.store_id for store in stores]
    )
    values = dict(visit.form) if errors else _values(program)
    return form_page(
        manager,
        visit,
        HREF,
        "painel/programa.html",
        "Programa de pontos",
        status,
        lojas=[{"id": s.store_id, "name": s.name, "pontos": per_store[s.store_id]} for s in stores],
        categorias=per_category,
        venda=brl(points_program.EXAMPLE_SALE),
        valores=values,
        erros=_by_field(errors or {}),
        aviso="Regras salvas." if visit.query.get("aviso") == "salvo" else "",
        cache_segundos=int(settings.config_cache_seconds()),
    )


def set_program(manager: Manager, visit: Visit) -> Page:
    form = visit.form
    return submitted(
        manager,
        visit,
        lambda: points_program.set_program(
            manager.tenant_id,
            form.get("points_per_real", ""),
            form.get("validity_days", ""),
            form.get("pending_days", ""),
            {
                name.removeprefix(STORE_RATE): rate.strip()
                for name, rate in form.items()
                if name.startswith(STORE_RATE) and rate.strip()
            },
            pairs_from(_lines(form.get(CATEGORIES, "")), CATEGORIES_LABEL),
        ),
        "Regras de pontos alteradas",
        lambda status, errors: program_page(manager, visit, status, errors),
        lambda _: redirect(f"{HREF}?aviso=salvo"),
    )


def _values(program: dict) -> dict[str, str]:
    """The form's fields as the saved program fills them."""
    return {
        "points_per_real": program["points_per_real"],
        "validity_days": str(program["validity_days"]),
        "pending_days": str(program["pending_days"]),
        CATEGORIES: "\n".join(f"{c}={m}" for c, m in program["category_multipliers"].items()),
        **{STORE_RATE + store: rate for store, rate in program["store_rates"].items()},
    }


def _by_field(errors: Errors) -> Errors:
    """A refusal's field as the form names it: every category's refusal (and the label
    of the categories' field) belongs to the categories' text area."""
    return {
        CATEGORIES if field in {CATEGORIES_LABEL} or field.startswith("category_") else field: text
        for field, text in errors.items()
    }


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]
