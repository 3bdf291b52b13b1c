"""A shop whose customers get automatic messages, on a clock the tests set."""

from datetime import datetime
from zoneinfo import ZoneInfo

from validate_docbr import CPF

from bemtevi.channels import Message, Receipt
from bemtevi.store import messages
from functions.loyalty.sales import record_sale
from functions.messaging.automatic import run_job

ZONE = ZoneInfo("America/Sao_Paulo")
REMINDER_DAY = datetime(2026, 12, 5, 10, tzinfo=ZONE)
TENANT = "rede-teste"


class Recording:
    """The real adapter, with a list of who it sent to (to count sends per person)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.sent_to = inner, inner.name, []

    def send(self, message: Message) -> Receipt:
        receipt = self.inner.send(message)
        self.sent_to.append(message.to)
        return receipt


def phone(n: int) -> str:
    return f"+55119876543{n:02d}"


def buy(shop, n: int, total: int, at: datetime, **contact) -> str:
    customer = {"cpf": CPF().generate(), "phone": phone(n), "name": f"Cliente {n}", **contact}
    payload = {
        "sale_id": f"v-{n}-{at.timestamp():.0f}",
        "occurred_at": at.isoformat(),
        "total": total,
        "customer": {k: v for k, v in customer.items() if v is not None},
    }
    return record_sale(shop, payload, now=at).body["customer_id"]


def welcomed(channels: dict, at: datetime) -> None:
    """Send the welcomes the purchases queued, and forget them."""
    assert run_job("welcome", TENANT, at, channels=channels)["finished"]
    for channel in channels.values():
        channel.sent_to.clear()


def sent(customer_id: str) -> list[tuple[str, str, str]]:
    return [
        (m.message_kind, m.period, m.channel)
        for m in messages.messages_of(TENANT, customer_id)
        if m.status == "sent" and m.message_kind != "welcome"
    ]
