"""POST /v1/sales/{sale_id}/cancel: a full or partial return reverses the sale's points.

Points are taken back in proportion to the amount returned, so that returning a whole sale
in any number of steps takes back exactly what it earned. Points already spent are taken
from the rest of the balance (earliest expiry first); what the balance cannot cover becomes
a debt that the next earnings pay first. Each return is idempotent by its `return_id`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.domain import reversal
from bemtevi.domain.customers import Customer
from bemtevi.domain.operations import RecordedSale
from bemtevi.errors import BemteviError, Conflict, InvalidInput, NotFound
from bemtevi.store import customers, sales
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.common.retry import until_written
from functions.loyalty.sales import Answer, fingerprint_of, occurred_at_from

WHOLE_SALE = "#whole"  # the key of a return sent without return_id: cannot match a POS's
FULL = "full"  # how the answer names that return
_SALE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class Unprocessable(BemteviError):
    status = 422


def return_sale(
    caller: StoreIdentity, sale_id: str, payload: Any, now: datetime | None = None
) -> Answer:
    request = contract.validated("CancelRequest", payload)
    if not _SALE_ID.match(sale_id):
        raise InvalidInput("invalid_pattern", "sale_id inválido.", "sale_id")
    if "amount" in request and "return_id" not in request:
        raise InvalidInput(
            "missing_field",
            "Devolução parcial precisa de return_id, para não ser contada duas vezes.",
            "return_id",
        )
    now = now or datetime.now(UTC)
    tenant = tenancy.tenant(caller.tenant_id)
    occurred_at = now
    if "occurred_at" in request:
        occurred_at = occurred_at_from(request["occurred_at"], now, "occurred_at")
    return_id = request.get("return_id", WHOLE_SALE)
    fingerprint = fingerprint_of({k: v for k, v in request.items() if k != "occurred_at"})

    def attempt() -> Answer:
        sale = sales.get_sale(caller.tenant_id, caller.store_id, sale_id)
        if sale is None:
            raise NotFound("sale_not_found", "Venda não encontrada nesta loja.", "sale_id")
        earlier = sale.returns.get(return_id)
        if earlier is not None:
            if earlier["fingerprint"] != fingerprint:
                raise Conflict(
                    "return_id_reused", "Este return_id já foi usado com outro valor.", "return_id"
                )
            return Answer(json.loads(earlier["response"]), 200, replayed=True)
        if occurred_at < sale.occurred_at:
            raise InvalidInput(
                "return_before_sale", "A devolução não pode ser anterior à venda.", "occurred_at"
            )
        write, body = _plan(caller, tenant, sale, request, return_id, fingerprint, occurred_at)
        sales.commit(write)
        return Answer(body, 200)

    return until_written(attempt)


def _plan(
    caller: StoreIdentity,
    tenant: tenancy.Tenant,
    sale: RecordedSale,
    request: dict,
    return_id: str,
    fingerprint: str,
    occurred_at: datetime,
) -> tuple[sales.Write, dict]:
    """The decision (`bemtevi.domain.reversal`), the records to write and the answer."""
    taken = _returned(sale, request.get("amount"))
    customer = None
    if sale.customer_id:
        customer = customers.find_by_id(caller.tenant_id, sale.customer_id)
    reversed_ = None
    if customer is not None:
        origin = reversal.Origin(caller.store_id, sale.sale_id, sale.lot_id, return_id)
        reversed_ = reversal.reversal(
            customers.points_of(customer),
            customers.purchases_of(customer),
            origin,
            taken,
            occurred_at,
        )
    if customer is not None and reversed_ is not None:
        customer = _reversed_customer(tenant, customer, reversed_, occurred_at)
    body = return_answer(sale.sale_id, return_id, taken, reversed_)
    sale = _with_return(sale, return_id, taken, fingerprint, occurred_at, body)
    day = tenant.today(occurred_at).isoformat()
    write = sales.Write(
        record=sale,
        record_is_new=False,
        counter=sales.day_counts(
            caller.tenant_id,
            caller.store_id,
            day,
            returns=1,
            returned_amount=taken.amount,
            points_reversed=taken.points,
        ),
        customer=customer,
    )
    if customer is not None and reversed_ is not None:
        write.entries = list(reversed_.entries)
    expired = [reversed_.expired] if reversed_ else [None]
    sales.count_expired(write, caller.tenant_id, day, expired)
    return write, body


def _returned(sale: RecordedSale, requested: int | None) -> reversal.Returned:
    net_total, before = int(sale.net_total), int(sale.returned_amount)
    taken = reversal.returned(int(sale.points_earned), net_total, before, requested)
    if isinstance(taken, reversal.Returned):
        return taken
    if taken == reversal.ALREADY_RETURNED:
        raise Unprocessable(taken, "Esta venda já foi toda devolvida.", "sale_id")
    raise Unprocessable(
        taken,
        f"O valor devolvido passa do que resta da venda ({net_total - before} centavos).",
        "amount",
    )


def _reversed_customer(
    tenant: tenancy.Tenant,
    customer: Customer,
    reversed_: reversal.Reversal,
    occurred_at: datetime,
) -> Customer:
    customer = customers.with_points(
        customer, reversed_.points, **tenant.points_indexes(occurred_at)
    )
    customer = customers.with_purchases(customer, reversed_.purchases)
    return replace(customer, updated_at=occurred_at)


def return_answer(
    sale_id: str,
    return_id: str,
    taken: reversal.Returned,
    reversed_: reversal.Reversal | None,
) -> dict:
    points = reversed_.points if reversed_ else None
    return {
        "sale_id": sale_id,
        "return_id": FULL if return_id == WHOLE_SALE else return_id,
        "amount": taken.amount,
        "points_reversed": taken.points,
        "points_recovered": reversed_.recovered if reversed_ else 0,
        "debt_created": reversed_.debt_created if reversed_ else 0,
        "balance": points.balance if points else 0,
        "debt": points.debt if points else 0,
    }


def _with_return(
    sale: RecordedSale,
    return_id: str,
    taken: reversal.Returned,
    fingerprint: str,
    occurred_at: datetime,
    body: dict,
) -> RecordedSale:
    """The sale keeps each return (to replay it) and what has been returned so far."""
    returns = dict(sale.returns)
    returns[return_id] = {
        "amount": taken.amount,
        "points": taken.points,
        "fingerprint": fingerprint,
        "occurred_at": occurred_at.isoformat(),
        "response": json.dumps(body, ensure_ascii=False),
    }
    return replace(
        sale,
        returns=returns,
        returned_amount=int(sale.returned_amount) + taken.amount,
        points_reversed=int(sale.points_reversed) + taken.points,
    )
