"""Server-rendered SVG charts (no script, so the strict CSP holds): the geometry is
computed here, the markup is the `painel/graficos.html` macros'. Every chart has a title
and a description that says what it shows in words, and its figures also as a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from bemtevi.domain.labels import shown
from bemtevi.domain.months import first_day

WIDTH, HEIGHT, TOP, BOTTOM = 360, 150, 12, 22
MISSING = "—"


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    known: bool = True


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def month_label(month: str, pattern: str = "MMM/yy") -> str:
    return format_date(first_day(month), pattern, locale="pt_BR").replace(".", "")


def trend(chart_id: str, title: str, points: list[tuple[str, int | None]], how: str) -> Chart:
    """One bar per month (`points`: month, value); an undefined value draws no bar."""
    slot = WIDTH / max(len(points), 1)
    top = max([value or 0 for _, value in points] + [1])
    bars = []
    for n, (month, value) in enumerate(points):
        height = (HEIGHT - TOP - BOTTOM) * max(value or 0, 0) / top
        bars.append(
            Bar(
                label=month_label(month, "MMM"),
                text=f"{month_label(month)}: {shown(value, how, MISSING)}",
                x=round(n * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                known=value is not None,
            )
        )
    return Chart(chart_id, title, _described(title, points, how), bars)


def _described(title: str, points: list[tuple[str, int | None]], how: str) -> str:
    known = [(month, value) for month, value in points if value is not None]
    if not known:
        return f"{title}: nenhum mês com dados."
    low = min(known, key=lambda point: point[1])
    high = max(known, key=lambda point: point[1])
    first, last = points[0][0], points[-1][0]
    return (
        f"{title} de {month_label(first)} a {month_label(last)}: "
        f"menor {shown(low[1], how)} em {month_label(low[0])}, "
        f"maior {shown(high[1], how)} em {month_label(high[0])}, "
        f"último {shown(known[-1][1], how)}."
    )


def pair(chart_id: str, title: str, sides: list[tuple[str, int | None]], how: str) -> Chart:
    """Two horizontal bars (period A, period B) on one scale."""
    top = max([value or 0 for _, value in sides] + [1])
    usable = WIDTH - 150
    bars = [
        Bar(
            label=label,
            text=shown(value, how, MISSING),
            x=56,
            y=8 + n * 30,
            width=round(usable * max(value or 0, 0) / top, 1),
            height=22,
        )
        for n, (label, value) in enumerate(sides)
    ]
    words = " e ".join(f"{label} {shown(value, how, MISSING)}" for label, value in sides)
    return Chart(chart_id, title, f"{title}: {words}.", bars, WIDTH, 70, 0)


def format_datetime_short(at: str, timezone: str) -> str:
    """An ISO instant as "30/11 14:05", in the tenant's time zone."""
    return format_datetime(
        datetime.fromisoformat(at), "dd/MM HH:mm", tzinfo=ZoneInfo(timezone), locale="pt_BR"
    )
