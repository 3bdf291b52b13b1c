"""A tenant's points program: how a sale turns into points, and for how long they live.

Rates are integers in thousandths (1 point per R$ 1,00 is 1000; 2,5 points per real is
2500), so no float ever touches points or money. Points round down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from bemtevi.errors import InvalidInput

MILLI = 1000
CENTAVOS_PER_REAL = 100


@dataclass(frozen=True)
class ProgramRules:
    points_per_real_milli: int = 1000
    validity_days: int = 180
    pending_days: int = 0
    store_points_per_real_milli: dict[str, int] = field(default_factory=dict)
    category_multiplier_milli: dict[str, int] = field(default_factory=dict)

    def rate_at(self, store_id: str) -> int:
        return self.store_points_per_real_milli.get(store_id, self.points_per_real_milli)


@dataclass(frozen=True)
class ItemValue:
    value: int
    category: str | None


def points_for(rules: ProgramRules, store_id: str, net_total: int, items: list[ItemValue]) -> int:
    """Points earned by a sale of `net_total` centavos (total minus discount).

    Category multipliers weigh each item's share of the net total; items of categories
    without a multiplier, and sales without items, count at 1x. One rounding, at the end.
    """
    if net_total <= 0:
        return 0
    weight_numerator, weight_denominator = MILLI, MILLI
    item_total = sum(item.value for item in items)
    if item_total > 0 and rules.category_multiplier_milli:
        weight_numerator = sum(
            item.value * rules.category_multiplier_milli.get(item.category or "", MILLI)
            for item in items
        )
        weight_denominator = item_total * MILLI
    numerator = net_total * rules.rate_at(store_id) * weight_numerator
    denominator = CENTAVOS_PER_REAL * MILLI * weight_denominator
    return numerator // denominator


def expires_at(rules: ProgramRules, earned_at: datetime) -> datetime:
    """Points live `validity_days` from the sale's own time, however late it was posted."""
    return earned_at + timedelta(days=rules.validity_days)


def pending_until(rules: ProgramRules, earned_at: datetime) -> datetime:
    """Points are held through the return window before they can be redeemed."""
    return earned_at + timedelta(days=rules.pending_days)


def milli_from_text(text: str, field_name: str) -> int:
    """'1', '2,5' or '0.5' as thousandths; refuses negatives and more than 3 decimals."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(
            "invalid_rate", "Informe um número, ex.: 1 ou 2,5.", field_name
        ) from None
    milli = value * MILLI
    if value < 0 or milli != milli.to_integral_value():
        raise InvalidInput(
            "invalid_rate", "Use um número não negativo com até 3 casas decimais.", field_name
        )
    return int(milli)


def pairs_from(values: Iterable[str], field_name: str) -> dict[str, str]:
    """`NOME=VALOR` texts (a command's repeated option, a form's lines) as a dict."""
    pairs = {}
    for value in values:
        name, separator, rate = value.partition("=")
        if not separator or not name.strip():
            raise InvalidInput("invalid_pair", f"Use NOME=VALOR em {field_name}.", field_name)
        pairs[name.strip()] = rate.strip()
    return pairs


def _days(value: int | str, low: int, high: int, code: str, message: str, field_name: str) -> int:
    """Whole days from a number or its text (a form's field), within [low, high]."""
    text = value.strip() if isinstance(value, str) else str(value)
    if not re.fullmatch(r"-?[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise InvalidInput(code, message, field_name)
    return int(text)


def program_from(
    points_per_real: str = "1",
    validity_days: int | str = 180,
    pending_days: int | str = 0,
    store_rates: dict[str, str] | None = None,
    category_multipliers: dict[str, str] | None = None,
) -> ProgramRules:
    validity_days = _days(
        validity_days, 1, 3650, "invalid_validity", "Validade de 1 a 3650 dias.", "validity_days"
    )
    pending_days = _days(
        pending_days, 0, 90, "invalid_pending", "Carência de 0 a 90 dias.", "pending_days"
    )
    if pending_days >= validity_days:
        raise InvalidInput(
            "invalid_pending", "A carência deve ser menor que a validade.", "pending_days"
        )
    return ProgramRules(
        points_per_real_milli=milli_from_text(points_per_real, "points_per_real"),
        validity_days=validity_days,
        pending_days=pending_days,
        store_points_per_real_milli={
            store: milli_from_text(rate, f"store_rate.{store}")
            for store, rate in (store_rates or {}).items()
        },
        category_multiplier_milli={
            category: milli_from_text(rate, f"category_multiplier.{category}")
            for category, rate in (category_multipliers or {}).items()
        },
    )
