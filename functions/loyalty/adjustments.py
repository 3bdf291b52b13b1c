"""A manual adjustment of a customer's points (`bemtevi customer adjust` and the
dashboard's customer page): + or - points with a reason, from an origin store, by a
network admin. One TransactGet (the customer and the adjustment's record) and one
TransactWrite (the record, the customer's points, the ledger entries and the store-day
counters). The adjustment's id makes it idempotent: the same form submitted twice, or a
retry, adjusts once and answers as the first time."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bemtevi.domain import adjustments as rules
from bemtevi.domain import customers as people
from bemtevi.errors import Conflict, InvalidInput, NotFound
from bemtevi.store import adjustments, customers, network
from functions.common import tenancy
from functions.common.retry import until_written


def new_adjustment_id() -> str:
    """A random id for a form (or a CLI call) to name its adjustment by."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Asked:
    """An adjustment as asked for, its values checked."""

    tenant_id: str
    customer_id: str
    points: int
    reason: str
    store_id: str
    actor: str
    adjustment_id: str
    now: datetime


def adjust_points(
    tenant_id: str,
    customer_id: str,
    points: str | int,
    reason: str,
    store_id: str,
    actor: str,
    now: datetime | None = None,
    adjustment_id: str | None = None,
) -> dict:
    """Adjust the points of a customer of `tenant_id` (404 for one it does not have);
    a refused value raises InvalidInput naming its field, and nothing is written. The
    answer's `replayed` says whether the adjustment had already been made."""
    asked = Asked(
        tenant_id,
        customer_id,
        rules.points_from(points),
        rules.reason_from(reason),
        _store_of(tenant_id, store_id),
        actor,
        rules.adjustment_id_from(new_adjustment_id() if adjustment_id is None else adjustment_id),
        now or datetime.now(UTC),
    )
    tenant = tenancy.tenant(tenant_id)
    return until_written(lambda: _attempt(tenant, asked))


def _replayed(first: dict, asked: Asked) -> dict:
    """The first answer to this adjustment's id, if this request asks for the same."""
    same = (first["points"], first["reason"], first["store_id"]) == (
        asked.points,
        asked.reason,
        asked.store_id,
    )
    if not same:
        raise Conflict(
            "adjustment_id_reused",
            "Este ajuste já foi registrado com outros valores: recarregue a página e "
            "registre o novo ajuste.",
            "adjustment_id",
        )
    return {**first, "replayed": True}


def _attempt(tenant: tenancy.Tenant, asked: Asked) -> dict:
    """Read, decide, write on condition (or answer as the first time)."""
    customer, recorded = adjustments.read(asked.tenant_id, asked.customer_id, asked.adjustment_id)
    if recorded is not None:
        return _replayed(json.loads(recorded.response), asked)
    if customer is None:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "customer")
    now = asked.now
    decided = rules.adjust(
        customers.points_of(customer),
        tenant.program,
        tenant.zone,
        asked.points,
        asked.reason,
        asked.store_id,
        asked.adjustment_id,
        now,
    )
    customer = replace(
        customers.with_points(customer, decided.points, **tenant.points_indexes(now)),
        updated_at=now,
    )
    body = {
        "adjustment_id": asked.adjustment_id,
        "customer_id": asked.customer_id,
        "points": asked.points,
        "reason": asked.reason,
        "store_id": asked.store_id,
        "occurred_at": now.isoformat(),
        "balance": decided.points.balance,
        "available": decided.points.available(now),
        "debt": decided.points.debt,
    }
    adjustments.commit(
        adjustments.AdjustmentWrite(
            customer=customer,
            adjustment_id=asked.adjustment_id,
            points=asked.points,
            reason=asked.reason,
            store_id=asked.store_id,
            actor=asked.actor,
            occurred_at=now,
            response=json.dumps(body, ensure_ascii=False),
            entries=decided.entries,
            day=tenant.today(now).isoformat(),
            counters=_counters(decided),
        )
    )
    return {**body, "replayed": False}


def _counters(decided: rules.Adjustment) -> dict[str, dict[str, int]]:
    """What the adjustment adds to each store's day counters: the points it put in or
    took out of that store's lots, and what expired before it."""
    counters: dict[str, dict[str, int]] = {}
    for origin, change in decided.adjusted_by_store.items():
        counters.setdefault(origin, {})["points_adjusted"] = change
    for origin, expired in decided.expired_by_store.items():
        counters.setdefault(origin, {})["points_expired"] = expired
    return counters


def customer_id_by_cpf(tenant_id: str, cpf: str) -> str:
    """The id of the customer a CPF names, found as a sale finds it (the derived id, or
    the CPF's alias); 404 when the network does not know the CPF."""
    normalized = people.normalized_cpf(cpf, "cpf")
    tenant = tenancy.tenant(tenant_id)
    found = customers.find(tenant_id, customers.identity_for(tenant.pepper, normalized, None))
    if found.customer is None:
        raise NotFound("customer_not_found", "Cliente não encontrado nesta rede.", "cpf")
    return found.customer_id


def _store_of(tenant_id: str, store_id: str) -> str:
    """The store, if the network has it (the adjustment's origin must be one of its)."""
    if not store_id or not store_id.strip():
        raise InvalidInput("invalid_store", "Escolha a loja de origem do ajuste.", "store_id")
    try:
        return network.get_store(tenant_id, store_id.strip()).store_id
    except NotFound:
        raise InvalidInput(
            "store_not_found", "Loja não encontrada nesta rede.", "store_id"
        ) from None
