"""`bemtevi messages|messaging`: list what was sent, and set how a tenant's messages go.
(The message jobs run with `bemtevi jobs run welcome|reminder|expiry`.)"""

from __future__ import annotations

from datetime import date

import click

from bemtevi.domain.money import brl
from cli import reports
from cli.commands import DAY, Group, action, option

listing = Group("messages", help="mensagens enviadas", short_help="mensagens enviadas")
settings = Group("messaging", help="como as mensagens saem", short_help="como as mensagens saem")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")


inbound = Group("sms", help="SMS recebidos", short_help="SMS recebidos")


def add_commands(root: click.Group) -> None:
    root.add_command(listing)
    root.add_command(settings)
    root.add_command(inbound)


OUTCOMES = {
    "opted_out": "descadastro registrado",
    "kept": "resposta guardada",
    "repeated": "já recebida",
    "ignored": "ignorada (número desconhecido ou inválido)",
}


@action(
    inbound,
    "receive",
    "simula um SMS recebido (pelo mesmo caminho do SNS)",
    lambda answer: OUTCOMES.get(answer["outcome"], answer["outcome"]),
)
@TENANT
@option("--from", "origination", required=True, metavar="CELULAR", help="quem enviou")
@option("--text", required=True, metavar="TEXTO", help="o texto recebido")
def _sms_receive(tenant: str, origination: str, text: str) -> dict:
    from functions.messaging.replies import inject_sms

    return inject_sms(tenant, origination, text)


def _show_log(rows: list[dict]) -> str:
    if not rows:
        return "Nenhuma mensagem."
    header = ["quando", "tipo", "canal", "situação", "cliente", "custo", ""]
    lines = [
        [
            row["at"][:19],
            reports.kind(row["kind"]),
            reports.channel(row["channel"]) if row["channel"] else "-",
            reports.status(row["status"]),
            (row["customer_id"] or "-")[:12],
            brl(row.get("cost", 0)) if row["kind"] != "reply" else "",
            row.get("text") or reports.reason(row.get("error")),
        ]
        for row in rows
    ]
    return reports.columns(header, lines)


@action(listing, "list", "mensagens e respostas do dia", _show_log)
@TENANT
@option("--date", "day", type=DAY, help="o último dia (padrão: hoje)")
@option("--days", type=int, default=1, help="quantos dias até a data")
def _messages_list(tenant: str, day: date | None, days: int) -> list[dict]:
    from functions.messaging.log import message_log

    return message_log(tenant, day, days)


def _show_rules(rules: dict) -> str:
    channels = ", ".join(reports.channel(channel) for channel in rules["channels"])
    return "\n".join(
        [
            f"canais: {channels}",
            f"horário de envio: {rules['send_from_hour']}h às {rules['send_until_hour']}h",
            f"lembrete: dia {rules['reminder_day']}, às {rules['job_hour']}h",
            f"aviso de vencimento: {rules['expiry_warning_days']} dias antes",
            f"custos: SMS {brl(rules['sms_segment_cost'])}/segmento, "
            f"WhatsApp {brl(rules['whatsapp_cost'])}, e-mail {brl(rules['email_cost'])}",
            "SMS: com acentos (UCS-2, 70 caracteres por segmento)"
            if rules["sms_accents"]
            else "SMS: sem acentos (GSM-7, 160 caracteres por segmento)",
            f"ritmo de envio: SMS {_rate(rules['sms_per_second'])}/s, "
            f"e-mail {_rate(rules['email_per_second'])}/s, "
            f"WhatsApp {_rate(rules['whatsapp_per_second'])}/s",
            f"remetente do e-mail: {rules['email_source']}",
            f"número de SMS: {rules['sms_number'] or '-'}",
        ]
    )


def _rate(per_second: float) -> str:
    return f"{per_second:g}".replace(".", ",")


@action(settings, "set", "altera o que for informado", _show_rules)
@TENANT
@option("--channels", metavar="CANAIS", help="em ordem de preferência, ex.: whatsapp,sms,email")
@option("--send-hours", metavar="9-20", help="horário de envio (hora local)")
@option("--reminder-day", type=int, help="dia do mês do lembrete (1 a 28)")
@option("--job-hour", type=int, help="hora local dos envios agendados")
@option("--expiry-warning-days", type=int, help="dias de aviso antes de vencer")
@option("--sms-segment-cost", type=int, help="centavos por segmento de SMS")
@option("--whatsapp-cost", type=int, help="centavos por mensagem WhatsApp")
@option("--email-cost", type=int, help="centavos por e-mail")
@option(
    "--sms-per-second",
    type=float,
    metavar="N",
    help="SMS por segundo, abaixo do limite do SNS (padrão 20)",
)
@option(
    "--email-per-second",
    type=float,
    metavar="N",
    help="envios de e-mail por segundo, abaixo do limite do SES (padrão 14; 1 em conta de testes)",
)
@option(
    "--whatsapp-per-second",
    type=float,
    metavar="N",
    help="mensagens WhatsApp por segundo (padrão 20)",
)
@option("--sms-sender-id", metavar="NOME", help="remetente do SMS, onde a operadora aceita")
@option("--email-source", metavar="E-MAIL", help="remetente verificado no SES")
@option("--whatsapp-phone-number-id", metavar="ID", help="número no End User Messaging")
@option("--sms-number", metavar="NÚMERO", help="número que recebe as respostas por SMS")
@option(
    "--sms-accents/--no-sms-accents",
    default=None,
    help="SMS com acentos (UCS-2, 70 caracteres por segmento) ou, com --no-sms-accents "
    "(padrão), sem acentos (GSM-7, 160 caracteres por segmento)",
)
def _messaging_set(
    tenant: str, send_hours: str | None, sms_number: str | None, **chosen: object
) -> dict:
    """The other options are named as `set_messaging`'s; one not given (None) is kept."""
    from functions.messaging.configuration import UNSET, set_messaging

    hours = {}
    if send_hours:
        start, _, end = send_hours.partition("-")
        hours = {"send_from_hour": int(start), "send_until_hour": int(end)}
    channels = chosen.pop("channels")
    return set_messaging(
        tenant,
        sms_number=UNSET if sms_number is None else sms_number,
        channels=str(channels).split(",") if channels else None,
        **chosen,
        **hours,
    )


@action(settings, "show", "mostra as configurações", _show_rules)
@TENANT
def _messaging_show(tenant: str) -> dict:
    from functions.messaging.configuration import show_messaging

    return show_messaging(tenant)
