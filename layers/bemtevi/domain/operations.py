"""What the till's operations leave recorded, as the repository hands it out: a sale (with
the returns made against it) and a redemption (with its cancellation). Each carries the
revision it was read at; a change is written on condition of it. The recorded answer
(`response`) makes a replay answer the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RecordedSale:
    tenant_id: str
    store_id: str
    sale_id: str
    fingerprint: str
    occurred_at: datetime
    total: int
    discount: int
    net_total: int
    points_earned: int
    response: str
    recorded_at: datetime
    customer_id: str | None = None
    seller_code: str | None = None
    lot_id: str | None = None
    nfce_key: str | None = None
    returned_amount: int = 0
    points_reversed: int = 0
    # return id -> amount, points, fingerprint, occurred_at, response
    returns: dict[str, dict[str, Any]] = field(default_factory=dict)
    revision: int | None = None


@dataclass(frozen=True)
class RecordedRedemption:
    """`month` is the tenant-local month of its server time; `period` the compensation
    period it was filed in (None: its own month); `parts` the value each origin store
    owes (the redeeming store's own part included); `consumed` the lots taken, as JSON."""

    tenant_id: str
    store_id: str
    redemption_id: str
    fingerprint: str
    customer_id: str
    benefit_id: str
    points: int
    value: int
    purchase_total: int
    occurred_at: datetime
    month: str
    consumed: str
    response: str
    recorded_at: datetime
    period: str | None = None
    parts: dict[str, int] = field(default_factory=dict)
    sale_id: str | None = None
    cancelled_at: datetime | None = None
    cancel_response: str | None = None
    revision: int | None = None
