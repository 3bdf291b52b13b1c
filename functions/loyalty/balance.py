"""POST /v1/balance: what the customer at the till has and can redeem here. One
TransactGet (the customer, the aliases of its CPF or phone, and the tenant's benefit
rules, so a rule changed a moment ago already counts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from bemtevi import contract
from bemtevi.domain import customers as people
from bemtevi.domain.ledger import expire_due
from bemtevi.errors import NotFound
from bemtevi.store import customers, network
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.network.benefit_rules import at_the_till

EXPIRING_WINDOW = timedelta(days=30)


def balance(caller: StoreIdentity, payload: Any, now: datetime | None = None) -> dict:
    fields = contract.validated("BalanceRequest", payload)
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    person = people.person_from(fields, tenant.today(now), "")
    who = customers.identity_for(tenant.pepper, person.cpf, person.phone)
    rules = network.benefits_read(caller.tenant_id)
    resolution, also = customers.find_with(caller.tenant_id, who, [rules])
    tenant = tenancy.with_fresh_benefits(tenant, also[rules[1]])
    record = resolution.customer
    if record is None:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", None)
    # what is due but not yet expired by the daily job is not the customer's any more
    points, _ = expire_due(customers.points_of(record), now, "balance", caller.store_id)
    available = points.available(now)
    expiring: dict[datetime, int] = defaultdict(int)
    for lot in points.lots:
        if now <= lot.expires_at < now + EXPIRING_WINDOW:
            expiring[lot.expires_at] += lot.remaining
    return {
        "customer_id": record.customer_id,
        "name": record.name,
        "balance": points.balance,
        "available": available,
        "debt": points.debt,
        "expiring": [
            {"points": amount, "expires_at": moment.isoformat()}
            for moment, amount in sorted(expiring.items())
        ],
        "benefits": at_the_till(tenant, caller.store_id, available, now),
    }
