"""`bemtevi campaign create|preview|send|pause|resume|cancel|show|list`: campaigns from
the command line, by the same functions as the dashboard (ops: the whole network)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import click

from bemtevi.domain.labels import MONEY, shown
from bemtevi.errors import InvalidInput
from cli.commands import Group, action, option

campaigns = Group("campaign", help="campanhas", short_help="campanhas")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")
ID = option("--id", "campaign_id", required=True, metavar="ID", help="a campanha (seu id)")
STATUS = {
    "scheduled": "agendada",
    "sending": "enviando",
    "paused": "pausada",
    "cancelled": "cancelada",
    "done": "concluída",
}


def add_commands(root: click.Group) -> None:
    root.add_command(campaigns)


def _now() -> datetime:
    return datetime.now(UTC)


def _campaign(campaign: Any) -> dict:
    found = asdict(campaign)
    for name in ("send_at", "created_at", "updated_at", "started_at", "finished_at"):
        found[name] = found[name].isoformat() if found[name] else None
    found["channels"] = list(found["channels"])
    found["stores"] = list(found["stores"])
    return found


def _show_campaign(found: dict) -> str:
    lines = [
        f"Campanha {found['campaign_id']} ({found['name']}): {STATUS.get(found['status'])}",
        f"  envio: {found['send_at']}; canais: {', '.join(found['channels'])}",
        f"  grupo de controle: {found['control_percent']} %; janela: {found['window_days']} dias",
    ]
    if "figures" in found:
        figures = found["figures"]
        lines += [
            f"  destinatários: {figures['recipients']}; entregues: {figures['delivered']}; "
            f"falhas: {figures['failed']}; custo: {shown(figures['cost'], MONEY)}",
            f"  vendas atribuídas: {shown(figures['recipient']['revenue'], MONEY)} "
            f"(controle: {shown(figures['control']['revenue'], MONEY)})",
            f"  retorno: {found['roi_text']}",
        ]
    return "\n".join(lines)


def _form(name: str, segment: str, channels: str, message: tuple[str, ...], **rest: Any) -> dict:
    try:
        parsed = json.loads(segment)
    except ValueError:
        raise InvalidInput("invalid_segment", "O segmento deve ser JSON.", "segment") from None
    texts = dict(part.split("=", 1) for part in message if "=" in part)
    return {"name": name, "segment": parsed, "channels": channels.split(","), "messages": texts,
            **rest}  # fmt: skip


@action(campaigns, "create", "agenda uma campanha", _show_campaign)
@TENANT
@option("--name", required=True, metavar="NOME", help="o nome da campanha")
@option(
    "--segment",
    default="{}",
    metavar="JSON",
    help="os filtros do segmento, em JSON",
)
@option("--channels", default="sms", metavar="CANAIS", help="em ordem, ex.: sms,email")
@option("--message", multiple=True, metavar="CANAL=TEXTO", help="o texto de um canal")
@option("--send-at", metavar="DATA-HORA", help="AAAA-MM-DDTHH:MM (padrão: agora)")
@option("--control-percent", type=int, default=10, help="grupo de controle, %")
@option("--window-days", type=int, default=7, help="janela de atribuição, dias")
def _create(tenant: str, **options: Any) -> dict:
    from functions.campaigns import create_campaign

    return _campaign(create_campaign(tenant, None, _form(**options), _now()))


def _show_preview(found: dict) -> str:
    reach = ", ".join(f"{channel}: {n}" for channel, n in found["reachable"].items()) or "0"
    lines = [
        f"Clientes no segmento: {found['count']}; a enviar: {reach}; "
        f"grupo de controle: {found['control']}",
        f"Custo estimado: {shown(found['estimated_cost'], MONEY)}. Nada foi enviado.",
    ]
    lines += [f"  [{channel}] {text}" for channel, text in found["samples"]]
    return "\n".join(lines)


@action(campaigns, "preview", "simula uma campanha, sem enviar", _show_preview)
@TENANT
@ID
def _preview(tenant: str, campaign_id: str) -> dict:
    from functions.campaigns import preview

    return asdict(preview(tenant, None, campaign_id, _now()))


def show_run(found: dict) -> str:
    lines = [f"Envio de campanhas da rede {found['tenant']}:"]
    for campaign_id, outcomes in found["campaigns"].items():
        counts = ", ".join(f"{name}: {n}" for name, n in sorted(outcomes.items()))
        lines.append(f"  {campaign_id}: {counts or 'nada a fazer'}")
    if not found["finished"]:
        lines.append("  Parou antes do fim (fora do horário ou sem tempo): continua depois.")
    return "\n".join(lines)


@action(campaigns, "send", "envia as campanhas devidas agora", show_run)
@TENANT
def _send(tenant: str) -> dict:
    from functions.campaigns import send_due

    return send_due(tenant, _now()).as_dict()


def _move(name: str, summary: str) -> None:
    @action(campaigns, name, summary, _show_campaign)
    @TENANT
    @ID
    def run(tenant: str, campaign_id: str) -> dict:
        import functions.campaigns as functions

        return _campaign(getattr(functions, name)(tenant, None, campaign_id, _now()))


_move("pause", "pausa o envio de uma campanha")
_move("resume", "retoma o envio de uma campanha pausada")
_move("cancel", "cancela uma campanha")


@action(campaigns, "show", "mostra uma campanha e seus números", _show_campaign)
@TENANT
@ID
def _show(tenant: str, campaign_id: str) -> dict:
    from functions.campaigns import campaign_report

    report = campaign_report(tenant, None, campaign_id, _now())
    return {**_campaign(report.campaign), "figures": asdict(report.figures),
            "roi_text": report.roi_text, "by_day": report.by_day}  # fmt: skip


def _show_list(found: list[dict]) -> str:
    if not found:
        return "Nenhuma campanha."
    return "\n".join(
        f"{c['campaign_id']}  {STATUS.get(c['status'])}  {c['name']}  retorno: {c['roi_text']}"
        for c in found
    )


@action(campaigns, "list", "lista as campanhas, com estado e retorno", _show_list)
@TENANT
def _list(tenant: str) -> list[dict]:
    from functions.campaigns import campaign_list

    return [
        {**_campaign(s.campaign), "roi_text": s.roi_text, "roi": s.figures.roi}
        for s in campaign_list(tenant, None, _now())
    ]
