"""POST /v1/sales/{sale_id}/cancel: a full or partial return reverses the sale's points.

Points are taken back in proportion to the amount returned, so that returning a whole sale
in any number of steps takes back exactly what it earned. Points already spent are taken
from the rest of the balance (earliest expiry first); what the balance cannot cover becomes
a debt that the next earnings pay first. Each return is idempotent by its `return_id`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bemtevi import contract
from bemtevi.domain.customers import with_return
from bemtevi.domain.ledger import expire_due, points_to_reverse, reverse
from bemtevi.errors import BemteviError, Conflict, InvalidInput, NotFound
from bemtevi.store import customers, sales
from bemtevi.store.models import SaleRecord
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
        sale = sales.get_record(
            SaleRecord, SaleRecord.keys(caller.tenant_id, caller.store_id, sale_id)
        )
        if sale is None:
            raise NotFound("sale_not_found", "Venda não encontrada nesta loja.", "sale_id")
        earlier = sale.returns.as_dict().get(return_id)
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
    sale: SaleRecord,
    request: dict,
    return_id: str,
    fingerprint: str,
    occurred_at: datetime,
) -> tuple[sales.Write, dict]:
    net_total, returned = int(sale.net_total), int(sale.returned_amount)
    remaining = net_total - returned
    if remaining <= 0:
        raise Unprocessable("already_returned", "Esta venda já foi toda devolvida.", "sale_id")
    amount = request.get("amount", remaining)
    if amount > remaining:
        raise Unprocessable(
            "exceeds_sale",
            f"O valor devolvido passa do que resta da venda ({remaining} centavos).",
            "amount",
        )
    points = _points_to_reverse(sale, returned, amount)
    customer = None
    ledger: list = []
    recovered = debt_created = 0
    expired = None
    if sale.customer_id:
        customer = customers.find_by_id(caller.tenant_id, sale.customer_id)
    if customer is not None:
        before, expired = expire_due(
            customers.points_of(customer),
            occurred_at,
            f"expire:return:{caller.store_id}:{sale.sale_id}:{return_id}",
            caller.store_id,
        )
        if expired is not None:
            ledger.append(customers.ledger_record(caller.tenant_id, customer.customer_id, expired))
        after, entry = reverse(
            before,
            sale.lot_id or "",
            points,
            entry_id=f"return:{caller.store_id}:{sale.sale_id}:{return_id}",
            occurred_at=occurred_at,
            store_id=caller.store_id,
            sale_id=sale.sale_id,
        )
        recovered, debt_created = -entry.points, entry.debt
        if points:
            ledger.append(customers.ledger_record(caller.tenant_id, customer.customer_id, entry))
        customers.set_points(customer, after, **tenant.points_indexes(occurred_at))
        customers.set_purchases(customer, with_return(customers.purchases_of(customer), amount))
        customer.updated_at = occurred_at
    points_now = customers.points_of(customer) if customer else None
    body = {
        "sale_id": sale.sale_id,
        "return_id": FULL if return_id == WHOLE_SALE else return_id,
        "amount": amount,
        "points_reversed": points,
        "points_recovered": recovered,
        "debt_created": debt_created,
        "balance": points_now.balance if points_now else 0,
        "debt": points_now.debt if points_now else 0,
    }
    returns = sale.returns.as_dict()
    returns[return_id] = {
        "amount": amount,
        "points": points,
        "fingerprint": fingerprint,
        "occurred_at": occurred_at.isoformat(),
        "response": json.dumps(body, ensure_ascii=False),
    }
    sale.returns = returns
    sale.returned_amount = returned + amount
    sale.points_reversed = int(sale.points_reversed) + points
    day = tenant.today(occurred_at).isoformat()
    write = sales.Write(
        record=sale,
        record_is_new=False,
        counter=sales.day_counts(
            caller.tenant_id,
            caller.store_id,
            day,
            returns=1,
            returned_amount=amount,
            points_reversed=points,
        ),
        customer=customer,
        ledger=ledger,
    )
    sales.count_expired(write, caller.tenant_id, day, [expired])
    return write, body


def _points_to_reverse(sale: SaleRecord, returned_before: int, amount: int) -> int:
    return points_to_reverse(int(sale.points_earned), int(sale.net_total), returned_before, amount)
