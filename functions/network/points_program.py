"""`bemtevi program set|show`: a tenant's points rules."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi.domain.program import MILLI, ItemValue, ProgramRules, points_for, program_from
from bemtevi.store import network
from functions.common.tenancy import forget_tenant


def set_program(
    tenant_id: str,
    points_per_real: str = "1",
    validity_days: int | str = 180,
    pending_days: int | str = 0,
    store_rates: dict[str, str] | None = None,
    category_multipliers: dict[str, str] | None = None,
) -> dict:
    rules = program_from(
        points_per_real, validity_days, pending_days, store_rates, category_multipliers
    )
    network.save_program(tenant_id, rules, datetime.now(UTC))
    forget_tenant(tenant_id)
    return program_view(tenant_id, rules)


def show_program(tenant_id: str) -> dict:
    network.get_tenant(tenant_id)
    return program_view(tenant_id, network.program_rules(network.get_program(tenant_id)))


EXAMPLE_SALE = 10_000
"""The example sale of the program page: R$ 100,00."""


def earning_examples(
    tenant_id: str, store_ids: list[str], net_total: int = EXAMPLE_SALE
) -> tuple[dict[str, int], dict[str, int]]:
    """What a sale of `net_total` centavos earns under the tenant's rules, by the domain's
    own rule: at each store (no items), and, at the first store, of items of each category
    with a multiplier."""
    rules = network.program_rules(network.get_program(tenant_id))
    per_store = {store: points_for(rules, store, net_total, []) for store in store_ids}
    first = store_ids[0] if store_ids else ""
    per_category = {
        category: points_for(rules, first, net_total, [ItemValue(net_total, category)])
        for category in rules.category_multiplier_milli
    }
    return per_store, per_category


def program_view(tenant_id: str, rules: ProgramRules) -> dict:
    return {
        "tenant": tenant_id,
        "points_per_real": _decimal(rules.points_per_real_milli),
        "validity_days": rules.validity_days,
        "pending_days": rules.pending_days,
        "store_rates": {s: _decimal(r) for s, r in rules.store_points_per_real_milli.items()},
        "category_multipliers": {
            c: _decimal(r) for c, r in rules.category_multiplier_milli.items()
        },
    }


def _decimal(milli: int) -> str:
    whole, fraction = divmod(milli, MILLI)
    return f"{whole}" if not fraction else f"{whole},{fraction:03d}".rstrip("0")
