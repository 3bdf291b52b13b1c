"""`bemtevi program set|show`: a tenant's points rules."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi.domain.program import MILLI, ProgramRules, program_from
from bemtevi.store import network
from functions.common.tenancy import forget_tenant


def set_program(
    tenant_id: str,
    points_per_real: str = "1",
    validity_days: int = 180,
    pending_days: int = 0,
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
