"""`bemtevi messages|messaging`: list what was sent, and set how a tenant's messages go.
(The message jobs run with `bemtevi jobs run welcome|reminder|expiry`.)"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from bemtevi.domain.money import brl


def add_commands(groups: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    listing = groups.add_parser("messages", help="mensagens enviadas").add_subparsers(title="ações")
    log = command(listing, "list", "mensagens e respostas do dia", _messages_list, _show_log)
    log.add_argument("--tenant", required=True)
    log.add_argument("--date", type=date.fromisoformat, help="AAAA-MM-DD (padrão: hoje)")
    log.add_argument("--days", type=int, default=1, help="quantos dias até a data")

    settings = groups.add_parser("messaging", help="como as mensagens saem").add_subparsers(
        title="ações"
    )
    setting = command(settings, "set", "altera o que for informado", _messaging_set, _show_rules)
    setting.add_argument("--tenant", required=True)
    setting.add_argument("--channels", help="em ordem de preferência, ex.: whatsapp,sms,email")
    setting.add_argument("--send-hours", metavar="9-20", help="horário de envio (hora local)")
    setting.add_argument("--reminder-day", type=int, help="dia do mês do lembrete (1 a 28)")
    setting.add_argument("--job-hour", type=int, help="hora local dos envios agendados")
    setting.add_argument("--expiry-warning-days", type=int, help="dias de aviso antes de vencer")
    setting.add_argument("--sms-segment-cost", type=int, help="centavos por segmento de SMS")
    setting.add_argument("--whatsapp-cost", type=int, help="centavos por mensagem WhatsApp")
    setting.add_argument("--email-cost", type=int, help="centavos por e-mail")
    setting.add_argument("--sms-sender-id")
    setting.add_argument("--email-source", help="remetente verificado no SES")
    setting.add_argument("--whatsapp-phone-number-id", help="número no End User Messaging")
    setting.add_argument("--sms-number", help="número que recebe as respostas por SMS")
    setting.add_argument(
        "--sms-accents",
        action=argparse.BooleanOptionalAction,
        help="SMS com acentos (UCS-2, 70 caracteres por segmento) ou, com --no-sms-accents "
        "(padrão), sem acentos (GSM-7, 160 caracteres por segmento)",
    )
    showing = command(settings, "show", "mostra as configurações", _messaging_show, _show_rules)
    showing.add_argument("--tenant", required=True)


def _messages_list(arguments: argparse.Namespace) -> list[dict]:
    from functions.message_log import message_log

    return message_log(arguments.tenant, arguments.date, arguments.days)


def _messaging_set(arguments: argparse.Namespace) -> dict:
    from functions.messaging_settings import UNSET, set_messaging

    hours = {}
    if arguments.send_hours:
        start, _, end = arguments.send_hours.partition("-")
        hours = {"send_from_hour": int(start), "send_until_hour": int(end)}
    return set_messaging(
        arguments.tenant,
        sms_number=UNSET if arguments.sms_number is None else arguments.sms_number,
        channels=arguments.channels.split(",") if arguments.channels else None,
        reminder_day=arguments.reminder_day,
        job_hour=arguments.job_hour,
        expiry_warning_days=arguments.expiry_warning_days,
        sms_segment_cost=arguments.sms_segment_cost,
        whatsapp_cost=arguments.whatsapp_cost,
        email_cost=arguments.email_cost,
        sms_sender_id=arguments.sms_sender_id,
        email_source=arguments.email_source,
        whatsapp_phone_number_id=arguments.whatsapp_phone_number_id,
        sms_accents=arguments.sms_accents,
        **hours,
    )


def _messaging_show(arguments: argparse.Namespace) -> dict:
    from functions.messaging_settings import show_messaging

    return show_messaging(arguments.tenant)


def _show_log(rows: list[dict]) -> str:
    if not rows:
        return "Nenhuma mensagem."
    lines = [f"{'quando':<19}  {'tipo':<8} {'canal':<8} {'situação':<10} {'cliente':<12} custo"]
    for row in rows:
        cost = brl(row.get("cost", 0)) if row["kind"] != "reply" else ""
        detail = row.get("text") or row.get("error") or ""
        lines.append(
            f"{row['at'][:19]:<19}  {row['kind']:<8} {row['channel'] or '-':<8} "
            f"{row['status']:<10} {(row['customer_id'] or '-')[:12]:<12} {cost} {detail}".rstrip()
        )
    return "\n".join(lines)


def _show_rules(rules: dict) -> str:
    return "\n".join(
        [
            f"canais: {', '.join(rules['channels'])}",
            f"horário de envio: {rules['send_from_hour']}h às {rules['send_until_hour']}h",
            f"lembrete: dia {rules['reminder_day']}, às {rules['job_hour']}h",
            f"aviso de vencimento: {rules['expiry_warning_days']} dias antes",
            f"custos: SMS {brl(rules['sms_segment_cost'])}/segmento, "
            f"WhatsApp {brl(rules['whatsapp_cost'])}, e-mail {brl(rules['email_cost'])}",
            "SMS: com acentos (UCS-2, 70 caracteres por segmento)"
            if rules["sms_accents"]
            else "SMS: sem acentos (GSM-7, 160 caracteres por segmento)",
            f"remetente do e-mail: {rules['email_source']}",
            f"número de SMS: {rules['sms_number'] or '-'}",
        ]
    )
