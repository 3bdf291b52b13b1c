"""The campaign page's chart: revenue over the attribution window, one pair of bars a
day, server-rendered SVG (no script, the strict CSP holds) through `painel/graficos.html`.
The first bar is the recipients' revenue; the second, the control group's revenue per
head times the recipients: what the recipients would have bought without the message.
The gap between them is the day's lift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from babel.dates import format_date

from bemtevi.domain.money import brl
from functions.dashboard.charts import HEIGHT, TOP, WIDTH, Bar, Chart

BOTTOM = 22


@dataclass(frozen=True)
class Day:
    """One day of the window: the recipients' and the control group's revenue (centavos)."""

    day: date
    recipients_revenue: int
    control_revenue: int


def expected(control_revenue: int, control: int, recipients: int) -> int | None:
    """The control group's revenue scaled to the recipients (half-even), None without a
    control group."""
    if not control:
        return None
    return round(Fraction(control_revenue * recipients, control))


def revenue_over_window(days: list[Day], recipients: int, control: int) -> Chart:
    """Two bars a day on one scale: recipients' revenue, and the control's scaled."""
    pairs = [
        (d, d.recipients_revenue, expected(d.control_revenue, control, recipients)) for d in days
    ]
    top = max([max(a, b or 0, 0) for _, a, b in pairs] + [1])
    slot = WIDTH / max(len(pairs), 1)
    bars: list[Bar] = []
    for n, (found, ours, theirs) in enumerate(pairs):
        label = format_date(found.day, "dd/MM", locale="pt_BR")
        for k, (value, who) in enumerate(((ours, "destinatários"), (theirs, "controle"))):
            height = (HEIGHT - TOP - BOTTOM) * max(value or 0, 0) / top
            bars.append(
                Bar(
                    label=label if k == 0 else "",
                    text=f"{label}, {who}: {'—' if value is None else brl(value)}",
                    x=round(n * slot + slot * (0.1 + 0.4 * k), 1),
                    y=round(HEIGHT - BOTTOM - height, 1),
                    width=round(slot * 0.38, 1),
                    height=round(height, 1),
                    known=value is not None,
                )
            )
    return Chart("receita-janela", "Receita na janela", _described(pairs), bars)


def _described(pairs: list[tuple[Day, int, int | None]]) -> str:
    if not pairs:
        return "Receita na janela: nenhum dia ainda."
    ours = sum(value for _, value, _ in pairs)
    known = [value for _, _, value in pairs if value is not None]
    first = format_date(pairs[0][0].day, "dd/MM", locale="pt_BR")
    last = format_date(pairs[-1][0].day, "dd/MM", locale="pt_BR")
    without = f"; sem a mensagem, pelo grupo de controle, {brl(sum(known))}" if known else ""
    return f"Receita dos destinatários de {first} a {last}: {brl(ours)}{without}."
