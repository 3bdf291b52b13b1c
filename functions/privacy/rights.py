"""A customer's LGPD rights, for every caller (CLI, portal, dashboard, tests): the export
of everything held about them (JSON) and the erasure, run at once."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi.domain import customers as people
from bemtevi.errors import NotFound
from bemtevi.store import customers, messages, privacy
from functions.common import tenancy

_PROFILE = ("cpf", "phone", "name", "email", "birthday")


def customer_id_by_cpf(tenant_id: str, cpf: str) -> str:
    """The customer a CPF names (as a sale finds it); 404 when the network does not know
    it, erased customers included."""
    normalized = people.normalized_cpf(cpf, "cpf")
    tenant = tenancy.tenant(tenant_id)
    found = customers.find(tenant_id, customers.identity_for(tenant.pepper, normalized, None))
    if found.customer is None or found.customer.cpf != normalized:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "cpf")
    return found.customer_id


def export(tenant_id: str, customer_id: str) -> dict:
    """Everything held about the customer, as a reusable JSON document."""
    customer = customers.find_by_id(tenant_id, customer_id)
    if customer is None:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
    sent, replies = messages.conversation_of(tenant_id, customer_id)
    return {
        "rede": tenant_id,
        "cliente": customer_id,
        "dados_pessoais": {name: getattr(customer, name) for name in _PROFILE},
        "pontos": {"saldo": customer.balance, "divida": customer.debt},
        "compras": {
            "visitas": customer.visits,
            "total_gasto_centavos": customer.total_spent,
            "primeira": _iso(customer.first_purchase_at),
            "ultima": _iso(customer.last_purchase_at),
            "lojas": sorted(customer.purchase_stores),
        },
        "canais_desligados": sorted(customer.opted_out()),
        "extrato": [
            {
                "tipo": line.kind,
                "quando": _iso(line.occurred_at),
                "pontos": line.points,
                "loja": line.store_id,
                "venda": line.sale_id,
            }
            for line in _ledger(tenant_id, customer_id)
        ],
        "mensagens": [
            {"tipo": m.message_kind, "periodo": m.period, "canal": m.channel, "situacao": m.status}
            for m in sent
        ],
        "respostas": [{"texto": r.text, "quando": _iso(r.received_at)} for r in replies],
    }


def erase(
    tenant_id: str, customer_id: str, now: datetime | None = None, source: str = "ops"
) -> dict:
    """Erase the customer at once; a receipt without personal data."""
    now = now or datetime.now(UTC)
    customer = customers.find_by_id(tenant_id, customer_id)
    if customer is None:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
    pepper = tenancy.tenant(tenant_id).pepper
    hashes = {}
    if customer.cpf:
        hashes["cpf"] = people.identity_hash(pepper, "cpf", customer.cpf)
    if customer.phone_hash:
        hashes["phone"] = customer.phone_hash
    done = privacy.erase(tenant_id, customer_id, hashes, now, source)
    return {"rede": tenant_id, "cliente": customer_id, "apagado_em": _iso(now), "itens": done}


def _ledger(tenant_id: str, customer_id: str) -> list:
    return [customers.ledger_line(record) for record in customers.ledger(tenant_id, customer_id)]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
