"""Brazilian Portuguese names for the stable English codes of figures, message kinds,
channels, statuses and failure reasons, and figures as a person reads them (R$, %, Babel
pt-BR): one vocabulary for the CLI and the dashboard."""

from __future__ import annotations

from decimal import Decimal

MONEY, COUNT, RATE = "money", "count", "rate"
# figure -> (label, how it is shown), in the order a manager reads them
FIGURES = {
    "customers_with_points": ("Clientes com pontos", COUNT),
    "customers_can_redeem": ("Clientes que podem trocar", COUNT),
    "active_customers": ("Clientes ativos (90 dias)", COUNT),
    "new_customers": ("Clientes novos", COUNT),
    "returning_rate_bp": ("Vendas a clientes que voltaram", RATE),
    "sales": ("Vendas", COUNT),
    "gross_revenue": ("Vendas brutas (antes dos descontos)", MONEY),
    "revenue": ("Faturamento (menos devoluções)", MONEY),
    "average_ticket": ("Ticket médio", MONEY),
    "earning_sales_share_bp": ("Vendas que pontuaram", RATE),
    "visits_with_redemption": ("Visitas com troca", COUNT),
    "discount_granted": ("Desconto concedido", MONEY),
    "average_discount": ("Desconto médio por troca", MONEY),
    "redeeming_spend": ("Compras de quem trocou, no dia", MONEY),
    "spend_per_redeeming_visit": ("Compra por cliente que trocou", MONEY),
    "points_issued": ("Pontos emitidos", COUNT),
    "points_redeemed": ("Pontos trocados", COUNT),
    "points_expired": ("Pontos expirados", COUNT),
    "points_adjusted": ("Pontos ajustados à mão (saldo)", COUNT),
    "outstanding_points": ("Pontos em aberto", COUNT),
    "liability": ("Passivo dos pontos em aberto", MONEY),
    "messages_sent": ("Mensagens enviadas", COUNT),
    "messages_cost": ("Custo das mensagens", MONEY),
    "compensation_owed": ("Compensação a pagar", MONEY),
    "compensation_receivable": ("Compensação a receber", MONEY),
    "compensation_net": ("Compensação líquida", MONEY),
}
LOYALTY = {
    "customers_with_points": ("Clientes com pontos", COUNT),
    "customers_can_redeem": ("Clientes que podem trocar", COUNT),
    "discount_granted": ("Desconto concedido", MONEY),
    "visits_with_redemption": ("Visitas com troca", COUNT),
    "redeeming_spend": ("Compras de quem trocou, no dia", MONEY),
    "earning_sales_share_bp": ("Vendas que pontuaram", RATE),
}
KINDS = {
    "welcome": "boas-vindas",
    "reminder": "lembrete",
    "expiry": "aviso de expiração",
    "campaign": "campanha",
    "reply": "resposta",
}
CHANNELS = {"sms": "SMS", "email": "e-mail", "whatsapp": "WhatsApp"}
STATUSES = {
    "queued": "na fila",
    "sending": "enviando",
    "sent": "enviada",
    "failed": "falhou",
    "skipped": "não enviada",
    "received": "recebida",
    "opted_out": "descadastrado",
}
# why a message was not sent, or failed (the message log's `error`)
REASONS = {
    "customer_gone": "cliente removido",
    "no_channel": "sem canal para o cliente",
    "nothing_to_say": "nada a avisar",
    "opted_out": "cliente descadastrado",
    "interrupted": "envio interrompido",
}


def kind(code: str) -> str:
    return KINDS.get(code, code)


def channel(code: str) -> str:
    return CHANNELS.get(code, code)


def status(code: str) -> str:
    return STATUSES.get(code, code)


def reason(code: str | None) -> str:
    """A known reason in words; any other is a provider's error code."""
    if not code:
        return ""
    return REASONS.get(code, f"erro do provedor: {code}")


def shown(value: int | None, how: str, missing: str = "–") -> str:
    """A figure in pt-BR: money as R$, a rate (basis points) as %, a count with thousands
    separators; `missing` for a figure that is not defined (a ratio over zero)."""
    from babel.numbers import format_decimal, format_percent

    from bemtevi.domain.money import brl

    if value is None:
        return missing
    if how == MONEY:
        return brl(value)
    if how == RATE:
        return format_percent(Decimal(value) / 10_000, "#,##0.0%", locale="pt_BR")
    return format_decimal(value, locale="pt_BR")


def change(bp: int | None, missing: str = "–") -> str:
    """A change in basis points as a signed pt-BR percentage ("+100,0%", "-50,0%", "0,0%")."""
    from babel.numbers import format_percent

    if bp is None:
        return missing
    text = format_percent(Decimal(bp) / 10_000, "#,##0.0%", locale="pt_BR")
    return text if bp <= 0 else f"+{text}"
