"""The customer's page as rows of text: dates in the tenant's zone (Babel, pt-BR), store
names for ids, and the person's data masked for store managers (the network admin sees
it whole)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from bemtevi.domain import labels
from bemtevi.domain.customers import (
    CHANNELS_OPTED_OUT,
    Customer,
    masked_cpf,
    masked_email,
    masked_name,
    masked_phone,
)
from bemtevi.domain.dashboard import Network
from bemtevi.domain.ledger import Points, expire_due
from bemtevi.domain.messaging import Message, Reply
from bemtevi.store.customers import LedgerLine, points_of

ENTRY_KINDS = {
    "earned": "Pontos ganhos",
    "redeemed": "Troca",
    "expired": "Expiração",
    "cancelled": "Cancelamento",
    "adjusted": "Ajuste",
}
NONE = "—"


@dataclass(frozen=True)
class CustomerView:
    network: Network
    masked: bool
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.network.timezone)

    def store(self, store_id: str | None) -> str:
        return self.network.stores.get(store_id or "", store_id or NONE)

    def day(self, moment: datetime | None) -> str:
        if moment is None:
            return NONE
        return format_date(moment.astimezone(self.zone).date(), "dd/MM/yyyy", locale="pt_BR")

    def moment(self, at: datetime | None) -> str:
        if at is None:
            return NONE
        return format_datetime(at, "dd/MM/yyyy HH:mm", tzinfo=self.zone, locale="pt_BR")

    def title(self, customer: Customer) -> str:
        name = self.profile(customer)["nome"]
        return f"Cliente: {name}" if name != NONE else "Cliente"

    def profile(self, customer: Customer) -> dict[str, str]:
        masked = self.masked
        name, cpf, phone = customer.name, customer.cpf, customer.phone
        email, birthday = customer.email, customer.birthday
        return {
            "nome": (masked_name(name) if masked else name) if name else NONE,
            "cpf": (masked_cpf(cpf) if masked else _cpf(cpf)) if cpf else NONE,
            "celular": (masked_phone(phone) if masked else _phone(phone)) if phone else NONE,
            "email": (masked_email(email) if masked else email) if email else NONE,
            "aniversario": _birthday(birthday, masked) if birthday else NONE,
            "desde": self.day(customer.first_purchase_at or customer.created_at),
            "ultima_compra": self.day(customer.last_purchase_at),
            "ultima_loja": self.store(customer.last_store),
            "visitas": labels.shown(customer.visits, labels.COUNT),
            "total": labels.shown(customer.total_spent, labels.MONEY),
        }

    def live_points(self, customer: Customer) -> Points:
        """The points as the till would see them now (what is due has expired)."""
        points, _ = expire_due(points_of(customer), self.now, "painel", "-")
        return points

    def points(self, customer: Customer) -> dict[str, str]:
        points = self.live_points(customer)
        available = points.available(self.now)
        pending = sum(lot.remaining for lot in points.lots if lot.pending_until > self.now)
        return {
            "saldo": labels.shown(points.balance, labels.COUNT),
            "disponivel": labels.shown(available, labels.COUNT),
            "pendente": labels.shown(pending, labels.COUNT),
            "divida": labels.shown(points.debt, labels.COUNT),
        }

    def lots(self, customer: Customer) -> list[dict[str, str]]:
        live = sorted(self.live_points(customer).lots, key=lambda lot: lot.expires_at)
        return [
            {
                "loja": self.store(lot.store_id),
                "ganho": self.day(lot.earned_at),
                "liberado": self.day(lot.pending_until),
                "vence": self.day(lot.expires_at),
                "restantes": labels.shown(lot.remaining, labels.COUNT),
                "ganhos": labels.shown(lot.amount, labels.COUNT),
            }
            for lot in live
            if lot.remaining > 0
        ]

    def entry(self, line: LedgerLine) -> dict[str, str]:
        """A ledger line; an adjustment shows its reason."""
        points = line.points
        sale = f"venda {line.sale_id}" if line.sale_id else ""
        return {
            "quando": self.moment(line.occurred_at),
            "tipo": ENTRY_KINDS.get(line.kind, line.kind),
            "pontos": f"+{points}" if points > 0 else str(points),
            "loja": self.store(line.store_id if line.store_id != "-" else None),
            "detalhe": line.reason or sale,
        }

    def messages(self, sent: list[Message]) -> list[dict[str, str]]:
        newest = sorted(sent, key=lambda m: m.sent_at or m.created_at, reverse=True)
        return [
            {
                "quando": self.moment(message.sent_at or message.created_at),
                "tipo": labels.kind(message.message_kind),
                "canal": labels.channel(message.channel) if message.channel else NONE,
                "situacao": labels.status(message.status),
                "motivo": labels.reason(message.error) or NONE,
                "loja": self.store(message.store_id),
            }
            for message in newest
        ]

    def replies(self, received: list[Reply]) -> list[dict[str, str]]:
        newest = sorted(received, key=lambda reply: reply.received_at, reverse=True)
        return [
            {
                "quando": self.moment(reply.received_at),
                "texto": reply.text,
                "descadastro": "sim" if reply.opted_out else "não",
            }
            for reply in newest
        ]

    def channels(self, customer: Customer) -> list[dict[str, str]]:
        rows = []
        for channel in CHANNELS_OPTED_OUT:
            since = getattr(customer, f"{channel}_opted_out_at")
            choice = f"Não recebe (saiu em {self.day(since)})" if since else "Recebe"
            rows.append({"canal": labels.channel(channel), "escolha": choice})
        return rows


def _cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def _phone(phone: str) -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, "BR")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _birthday(birthday: str, masked: bool) -> str:
    """The whole date, or the day and month only (enough to greet, not to identify)."""
    day = date.fromisoformat(birthday)
    return format_date(day, "dd/MM" if masked else "dd/MM/yyyy", locale="pt_BR")
