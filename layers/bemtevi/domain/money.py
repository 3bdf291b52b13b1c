"""Money is integer centavos. These turn what a person types ("1.234,56") into centavos
and centavos into what a person reads ("R$ 1.234,56"), the Brazilian way (Babel)."""

from __future__ import annotations

from decimal import Decimal

from bemtevi.errors import InvalidInput

CENTAVOS = 100


def centavos_from_text(text: str, field: str) -> int:
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = text.replace("R$", "").strip()
    try:
        value = parse_decimal(cleaned, locale="pt_BR", strict=True)
    except NumberFormatError:
        raise InvalidInput(
            "invalid_money", "Valor inválido: use reais com vírgula, ex.: 10,00.", field
        ) from None
    centavos = value * CENTAVOS
    if value < 0 or centavos != centavos.to_integral_value():
        raise InvalidInput(
            "invalid_money", "Use um valor não negativo com até 2 casas decimais.", field
        )
    return int(centavos)


def brl(centavos: int) -> str:
    from babel.numbers import format_currency

    return format_currency(Decimal(centavos) / CENTAVOS, "BRL", locale="pt_BR")


def plain_reais(centavos: int) -> str:
    """Centavos as a spreadsheet reads them in Brazil: "-1234,56" (no symbol, no
    thousands separator)."""
    sign = "-" if centavos < 0 else ""
    whole, cents = divmod(abs(centavos), CENTAVOS)
    return f"{sign}{whole},{cents:02d}"
