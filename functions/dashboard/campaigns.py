"""/painel/campanhas (network admins and store managers): the list, the new-campaign
form with its audience preview ("Calcular público", a submit: the CSP allows no
script) and the campaign's page with pause, resume and cancel. Everything goes through
`functions.campaigns` (as `bemtevi campaign ...`), which narrows a store manager's
segment to their stores (`restricted_to`) and answers 404 for a campaign out of scope.

NOT YET WIRED: written against CONTRACT15's API of functions.campaigns before it
existed; the attribute names of Preview, CampaignSummary and CampaignReport are the
contract's and must be checked against what c15-send built."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bemtevi.domain.segments import segment_from
from bemtevi.domain.staff import Manager
from bemtevi.errors import BemteviError, NotFound
from bemtevi.lazy import lazy_module
from bemtevi.store import network
from functions.dashboard import campaign_view as view
from functions.dashboard.campaign_charts import Day, revenue_over_window
from functions.dashboard.campaign_form import SEGMENT, campaign_of, field_of
from functions.dashboard.common import problem, rendered
from functions.dashboard.forms import FORM_FIELD, Errors, form_page, submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import redirect
from functions.portal.pages import Page

campaigns = lazy_module("functions.campaigns")

HREF = "/painel/campanhas"
CHANNEL_NAMES = (("sms", "SMS"), ("email", "E-mail"), ("whatsapp", "WhatsApp"))
VERBS = {"pausar": "pause", "retomar": "resume", "cancelar": "cancel"}
NOTICES = {"criada": "Campanha criada.", "pause": "Campanha pausada."}
NOTICES |= {"resume": "Envio retomado.", "cancel": "Campanha cancelada."}


def list_page(manager: Manager, visit: Visit) -> Page:
    rows = [
        view.list_row(s.campaign.campaign_id, s.campaign.name, s.campaign.status, s.figures)
        for s in campaigns.campaign_list(manager.tenant_id, manager)
    ]
    return rendered(
        manager, HREF, "painel/campanhas.html", "Campanhas", campanhas=rows, pode_criar=True
    )


def new_page(
    manager: Manager,
    visit: Visit,
    status: int = 200,
    errors: Errors | None = None,
    audience: list[str] | None = None,
) -> Page:
    stores = network.list_stores(manager.tenant_id)
    saved = campaigns.segments(manager.tenant_id, manager)
    return form_page(
        manager,
        visit,
        HREF,
        "painel/campanha_nova.html",
        "Nova campanha",
        status,
        form=dict(visit.form),
        erros=errors or {},
        lojas=[(s.store_id, s.name) for s in stores if manager.sees_store(s.store_id)],
        segmentos=[(getattr(s, "segment_id", s.name), s.name) for s in saved],
        canais=CHANNEL_NAMES,
        publico=audience,
    )


def post_new(manager: Manager, visit: Visit) -> Page:
    """ "Calcular público" previews (nothing written); "Criar campanha" creates."""
    zone = ZoneInfo(network.get_tenant(manager.tenant_id).timezone)
    now = datetime.now(UTC)

    def chosen() -> dict[str, Any]:
        form = campaign_of(visit.form, zone)
        if "segment" in form:
            try:
                segment_from(form["segment"])
            except BemteviError as error:
                error.field = SEGMENT + (error.field or "")
                raise
        return form

    def again(status: int, errors: Errors) -> Page:
        fields = {field_of(f) if f != FORM_FIELD else f: m for f, m in errors.items()}
        return new_page(manager, visit, status, fields)

    if visit.form.get("acao") == "calcular":
        return submitted(
            manager,
            visit,
            lambda: campaigns.preview(manager.tenant_id, manager, chosen(), now),
            "Público de campanha calculado",
            again,
            lambda found: new_page(manager, visit, audience=_audience(found)),
        )
    return submitted(
        manager,
        visit,
        lambda: campaigns.create_campaign(manager.tenant_id, manager, chosen(), now),
        f"Campanha criada: {visit.form.get('name', '')}",
        again,
        lambda made: redirect(f"{HREF}/{made.campaign_id}?aviso=criada"),
    )


def _audience(found: Any) -> list[str]:
    reach = ", ".join(f"{found.reachable.get(c, 0)} por {n}" for c, n in CHANNEL_NAMES)
    lines = [
        f"{found.count} clientes no segmento",
        f"{found.control} no grupo de controle (não recebem)",
        f"Alcançáveis: {reach}",
        f"Custo estimado: {view.money(found.estimated_cost)}",
    ]
    return lines + [f"Exemplo por {channel}: {text}" for channel, text in found.samples]


def campaign_page(manager: Manager, visit: Visit, campaign_id: str) -> Page:
    """The campaign's figures; out of the manager's scope or unknown: 404."""
    try:
        report = campaigns.campaign_report(
            manager.tenant_id, manager, campaign_id, datetime.now(UTC)
        )
    except BemteviError as error:
        if error.status >= 500:
            raise
        return problem(manager, HREF, error)
    campaign, figures = report.campaign, report.figures
    days = [
        Day(date.fromisoformat(day), counts.get("r_revenue", 0), counts.get("c_revenue", 0))
        for day, counts in report.by_day
    ]
    return form_page(
        manager,
        visit,
        HREF,
        "painel/campanha.html",
        campaign.name,
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
        situacao=view.status_label(campaign.status),
        resumo=f"controle {campaign.control_percent} %, janela de {campaign.window_days} dias",
        funil=view.funnel(figures),
        destaque=view.headline(figures),
        grupos=view.group_rows(figures),
        grafico=revenue_over_window(days, figures.recipients, figures.control.members),
        tabelas=[_by_store(report.by_store), _by_channel(report.by_channel)],
        acoes=view.actions(campaign.status),
        campanha_id=campaign.campaign_id,
    )


def _by_store(found: list[tuple[str, Any]]) -> dict:
    lines = [
        (name, f.recipients, f.recipient.buyers, view.money(f.recipient.revenue))
        for name, f in found
    ]
    columns = ["Loja", "Destinatários", "Compraram", "Receita"]
    return {"titulo": "Por loja", "colunas": columns, "linhas": lines}


def _by_channel(found: list[tuple[str, Any, int]]) -> dict:
    names = dict(CHANNEL_NAMES)
    lines = [
        (names.get(channel, channel), g.members, g.buyers, view.money(g.revenue))
        for channel, g, _ in found
    ]
    columns = ["Canal", "Destinatários", "Compraram", "Receita"]
    return {"titulo": "Por canal", "colunas": columns, "linhas": lines}


def act(manager: Manager, visit: Visit, campaign_id: str, verb: str) -> Page:
    """Pause, resume or cancel (`verb` in Portuguese, from the form's path)."""
    operation = VERBS.get(verb)
    if operation is None:
        return problem(manager, HREF, NotFound("not_found", "Esta página do painel não existe."))
    return submitted(
        manager,
        visit,
        lambda: getattr(campaigns, operation)(
            manager.tenant_id, manager, campaign_id, datetime.now(UTC)
        ),
        f"Campanha {campaign_id}: {verb}",
        lambda status, errors: rendered(
            manager,
            HREF,
            "painel/problema.html",
            "Acesso negado",
            status,
            mensagem=next(iter(errors.values()), ""),
        ),
        lambda _: redirect(f"{HREF}/{campaign_id}?aviso={operation}"),
    )
