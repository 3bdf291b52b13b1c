"""Benefit rules per tenant (`bemtevi benefit add|list|disable`), and what a customer can
take at a store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from bemtevi.domain import benefits as rules
from bemtevi.domain.money import centavos_from_text
from bemtevi.domain.network import valid_id
from bemtevi.errors import InvalidInput, NotFound
from bemtevi.store import network
from functions.common.retry import until_written
from functions.common.tenancy import Tenant, forget_tenant


def add_benefit(
    tenant_id: str,
    benefit_id: str,
    description: str,
    points: int,
    discount: int | None = None,
    sku: str | None = None,
    minimum_purchase: int = 0,
    starts_on: date | None = None,
    ends_on: date | None = None,
    stores: tuple[str, ...] = (),
) -> dict:
    """A discount benefit (`discount` centavos) or a product benefit (`sku`, whose cost in
    the catalogue is the benefit's value)."""
    valid_id(benefit_id, "id")
    for store in stores:
        network.get_store(tenant_id, store)
    if sku:
        kind, value = rules.PRODUCT, product_cost(tenant_id, sku)
    else:
        kind, value = rules.DISCOUNT, discount or 0
    benefit = rules.new_benefit(
        benefit_id,
        description,
        points,
        value,
        kind,
        minimum_purchase,
        sku,
        starts_on,
        ends_on,
        tuple(stores),
    )
    _change(tenant_id, lambda current: rules.with_rule(current, benefit))
    return benefit_view(benefit)


def add_benefit_from_text(tenant_id: str, fields: dict[str, str], stores: list[str]) -> dict:
    """`add_benefit` from a form's text (the dashboard): reais with a comma, days as
    AAAA-MM-DD, a discount or a product's SKU (exactly one)."""
    discount, sku = fields.get("discount", "").strip(), fields.get("sku", "").strip()
    minimum = fields.get("minimum_purchase", "").strip()
    if bool(discount) == bool(sku):
        raise InvalidInput("missing_field", "Informe o desconto ou o produto (um dos dois).", "sku")
    return add_benefit(
        tenant_id,
        fields.get("id", "").strip(),
        fields.get("description", ""),
        points_from_text(fields.get("points", "")),
        discount=centavos_from_text(discount, "discount") if discount else None,
        sku=sku or None,
        minimum_purchase=centavos_from_text(minimum or "0", "minimum_purchase"),
        starts_on=day_from_text(fields.get("starts_on", ""), "starts_on"),
        ends_on=day_from_text(fields.get("ends_on", ""), "ends_on"),
        stores=tuple(stores),
    )


def product_cost(tenant_id: str, sku: str) -> int:
    """What a product benefit is worth: the product's cost, which the catalogue must have."""
    cost = network.get_product(tenant_id, sku).cost
    if not cost:
        raise InvalidInput(
            "product_without_cost",
            f"O produto {sku} não tem custo no catálogo: cadastre o custo "
            "(pelo ERP ou com `bemtevi product add`) antes de criar o benefício.",
            "sku",
        )
    return int(cost)


def points_from_text(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(
            "invalid_points", "Informe os pontos do benefício (> 0).", "points"
        ) from None


def day_from_text(text: str, field: str) -> date | None:
    """An optional day as AAAA-MM-DD (what an HTML date field sends)."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("invalid_date", "Data inválida: use AAAA-MM-DD.", field) from None


def list_benefits(tenant_id: str) -> list[dict]:
    network.get_tenant(tenant_id)
    return [benefit_view(benefit) for benefit in network.benefits(tenant_id)]


def disable_benefit(tenant_id: str, benefit_id: str) -> dict:
    return _change_one(tenant_id, benefit_id, lambda found: replace(found, active=False))


def enable_benefit(tenant_id: str, benefit_id: str) -> dict:
    return _change_one(tenant_id, benefit_id, lambda found: replace(found, active=True))


def change_benefit(
    tenant_id: str,
    benefit_id: str,
    points: int,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> dict:
    """A benefit's points and period, checked as a new benefit is; the rest kept."""

    def changed(found: rules.Benefit) -> rules.Benefit:
        checked = rules.new_benefit(
            found.benefit_id,
            found.description,
            points,
            found.value,
            found.kind,
            found.minimum_purchase,
            found.sku,
            starts_on,
            ends_on,
            found.stores,
        )
        return replace(checked, active=found.active)

    return _change_one(tenant_id, benefit_id, changed)


def _change_one(
    tenant_id: str, benefit_id: str, change: Callable[[rules.Benefit], rules.Benefit]
) -> dict:
    def apply(current: tuple[rules.Benefit, ...]) -> tuple[rules.Benefit, ...]:
        found = next((benefit for benefit in current if benefit.benefit_id == benefit_id), None)
        if found is None:
            raise NotFound("benefit_not_found", "Benefício não encontrado.", "id")
        return rules.with_rule(current, change(found))

    changed = _change(tenant_id, apply)
    return benefit_view(next(benefit for benefit in changed if benefit.benefit_id == benefit_id))


def _change(
    tenant_id: str, change: Callable[[tuple[rules.Benefit, ...]], tuple[rules.Benefit, ...]]
) -> tuple[rules.Benefit, ...]:
    """Balance and redemption read the rules fresh with the customer; forgetting the
    cached tenant here serves the rest of this process (sales, jobs) at once too."""
    changed = until_written(lambda: network.change_benefits(tenant_id, change, datetime.now(UTC)))
    forget_tenant(tenant_id)
    return changed


def benefit_view(benefit: rules.Benefit) -> dict:
    return {
        **_short_view(benefit),
        "active": benefit.active,
        "starts_on": benefit.starts_on.isoformat() if benefit.starts_on else None,
        "ends_on": benefit.ends_on.isoformat() if benefit.ends_on else None,
        "stores": list(benefit.stores),
    }


def at_the_till(tenant: Tenant, store_id: str, available: int, now: datetime) -> list[dict]:
    """Every benefit in force, with whether this customer can take it here and why not."""
    today = tenant.today(now)
    offers = []
    for benefit in tenant.benefits:
        if not benefit.in_force(today):
            continue
        reason = rules.refusal(benefit, available, store_id, today)
        offers.append(
            {
                **_short_view(benefit),
                "available": reason is None,
                "reason": rules.REASONS[reason] if reason else None,
                "reason_code": reason,
            }
        )
    return offers


def redeemable_now(tenant: Tenant, store_id: str, available: int, now: datetime) -> list[dict]:
    today = tenant.today(now)
    return [
        _short_view(benefit)
        for benefit in tenant.benefits
        if rules.refusal(benefit, available, store_id, today) is None
    ]


def _short_view(benefit: rules.Benefit) -> dict:
    view = {
        "id": benefit.benefit_id,
        "description": benefit.description,
        "kind": benefit.kind,
        "points": benefit.points,
        "value": benefit.value,
        "minimum_purchase": benefit.minimum_purchase,
    }
    if benefit.sku:
        view["sku"] = benefit.sku
    return view
