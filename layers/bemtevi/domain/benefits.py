"""Benefit rules ("N points buy X"): a discount of R$ V, optionally on a minimum purchase,
or a product whose cost is the benefit's value. Which ones a customer can take, where and
when, and why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bemtevi.errors import InvalidInput

DISCOUNT, PRODUCT = "discount", "product"
REASONS = {
    "benefit_inactive": "Benefício fora do período ou desativado.",
    "store_not_allowed": "Benefício não aceito nesta loja.",
    "insufficient_points": "Pontos disponíveis insuficientes.",
    "below_minimum_purchase": "Compra abaixo do valor mínimo do benefício.",
}


@dataclass(frozen=True)
class Benefit:
    benefit_id: str
    description: str
    kind: str
    points: int
    value: int
    minimum_purchase: int = 0
    sku: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    stores: tuple[str, ...] = field(default_factory=tuple)
    active: bool = True

    def in_force(self, today: date) -> bool:
        return (
            self.active
            and (self.starts_on is None or self.starts_on <= today)
            and (self.ends_on is None or today <= self.ends_on)
        )

    def accepted_at(self, store_id: str) -> bool:
        return not self.stores or store_id in self.stores


def refusal(
    benefit: Benefit,
    available_points: int,
    store_id: str,
    today: date,
    purchase_total: int | None = None,
) -> str | None:
    """The reason code a redemption of `benefit` would be refused with, or None."""
    if not benefit.in_force(today):
        return "benefit_inactive"
    if not benefit.accepted_at(store_id):
        return "store_not_allowed"
    if available_points < benefit.points:
        return "insufficient_points"
    if purchase_total is not None and purchase_total < benefit.minimum_purchase:
        return "below_minimum_purchase"
    return None


def cheapest_points(benefits: list[Benefit], today: date) -> int | None:
    """Points of the cheapest benefit in force anywhere: the threshold for "can redeem"."""
    points = [benefit.points for benefit in benefits if benefit.in_force(today)]
    return min(points) if points else None


def new_benefit(
    benefit_id: str,
    description: str,
    points: int,
    value: int,
    kind: str = DISCOUNT,
    minimum_purchase: int = 0,
    sku: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    stores: tuple[str, ...] = (),
) -> Benefit:
    if points <= 0:
        raise InvalidInput("invalid_points", "Informe os pontos do benefício (> 0).", "points")
    if value <= 0:
        raise InvalidInput("invalid_value", "O benefício precisa ter valor (> 0).", "value")
    if kind == PRODUCT and not sku:
        raise InvalidInput("missing_field", "Benefício de produto precisa do SKU.", "sku")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput("invalid_period", "O fim vem antes do início.", "ends_on")
    description = description.strip()
    if not description or len(description) > 160:
        raise InvalidInput("invalid_description", "Descrição de 1 a 160 caracteres.", "description")
    return Benefit(
        benefit_id=benefit_id,
        description=description,
        kind=kind,
        points=points,
        value=value,
        minimum_purchase=minimum_purchase,
        sku=sku,
        starts_on=starts_on,
        ends_on=ends_on,
        stores=stores,
    )


def with_rule(rules: tuple[Benefit, ...], benefit: Benefit) -> tuple[Benefit, ...]:
    """The rules with `benefit` added, or in place of the rule with its id; ordered by id."""
    kept = [rule for rule in rules if rule.benefit_id != benefit.benefit_id]
    return tuple(sorted((*kept, benefit), key=lambda rule: rule.benefit_id))
