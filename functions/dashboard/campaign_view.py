"""What the campaign pages show from a campaign's figures (`domain.campaigns.
campaign_figures`), in Portuguese and reais: the funnel (recipients, delivered, buyers),
the recipients-versus-control table (per head), the lift and the ROI texts."""

from __future__ import annotations

from dataclasses import dataclass

from bemtevi.domain.campaigns import CampaignFigures, Group, roi_text
from bemtevi.domain.money import brl

MISSING = "—"
STATUS = {
    "draft": "Rascunho",
    "scheduled": "Agendada",
    "sending": "Enviando",
    "paused": "Pausada",
    "cancelled": "Cancelada",
    "done": "Enviada",
}


def money(centavos: int | None) -> str:
    return MISSING if centavos is None else brl(centavos)


def status_label(status: str) -> str:
    return STATUS.get(status, status)


@dataclass(frozen=True)
class Step:
    label: str
    value: int
    share: str
    """Of the recipients, as "97,5 %" (the first step has none)."""


def funnel(figures: CampaignFigures) -> list[Step]:
    """Recipients, delivered, buyers among the recipients."""
    steps: list[Step] = []
    for label, value in (
        ("Destinatários", figures.recipients),
        ("Entregues", figures.delivered),
        ("Compraram", figures.recipient.buyers),
    ):
        share = "" if not steps else _percent(value, figures.recipients)
        steps.append(Step(label, value, share))
    return steps


def _percent(part: int, whole: int) -> str:
    if not whole:
        return MISSING
    tenths = round(part * 1000 / whole)
    return f"{tenths // 10},{tenths % 10} %"


def group_rows(figures: CampaignFigures) -> list[tuple[str, str, str]]:
    """(what, recipients, control) for the table, each group's own figures."""
    ours, theirs = figures.recipient, figures.control
    return [
        (label, show(ours), show(theirs))
        for label, show in (
            ("Pessoas", lambda g: str(g.members)),
            ("Compraram", lambda g: _buyers(g)),
            ("Vendas", lambda g: str(g.sales)),
            ("Receita", lambda g: brl(g.revenue)),
            ("Ticket médio", lambda g: money(g.average_ticket)),
            ("Receita por pessoa", lambda g: money(g.revenue_per_head)),
        )
    ]


def _buyers(group: Group) -> str:
    return f"{group.buyers} ({_percent(group.buyers, group.members)})"


def headline(figures: CampaignFigures) -> dict[str, str]:
    """The figures the list and the page lead with."""
    return {
        "custo": brl(figures.cost),
        "receita": brl(figures.recipient.revenue),
        "incremental": money(figures.incremental_revenue),
        "roi": roi_text(figures.roi),
        "roi_incremental": roi_text(figures.incremental_roi),
    }


ACTIONS = {
    "scheduled": (("pausar", "Pausar"), ("cancelar", "Cancelar")),
    "sending": (("pausar", "Pausar"), ("cancelar", "Cancelar")),
    "paused": (("retomar", "Retomar"), ("cancelar", "Cancelar")),
}
"""The forms a campaign's page offers in each status (a path under the campaign's, its
button); a cancelled or finished campaign offers none."""


def actions(status: str) -> tuple[tuple[str, str], ...]:
    return ACTIONS.get(status, ())


def list_row(campaign_id: str, name: str, status: str, figures: CampaignFigures) -> dict:
    """One campaign as the list shows it."""
    return {
        "id": campaign_id,
        "nome": name,
        "situacao": status_label(status),
        "destinatarios": figures.recipients,
        "custo": brl(figures.cost),
        "receita": brl(figures.recipient.revenue),
        "roi": roi_text(figures.roi),
    }
