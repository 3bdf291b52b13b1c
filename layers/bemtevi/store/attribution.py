"""Repository of campaign attribution: a member's marker on the customer item (`cm`) and
a campaign's day counters per store (`T#<tenant>#K#<campaign id>`, sk `<day>#<store>`,
one flat number attribute per counter, added with ADD so any counter name works: read
with the client itself, since the model knows none of those names)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.operand import Path

from bemtevi import aws
from bemtevi.domain.attribution import (
    Membership,
    markers_attribute,
    markers_from,
    with_membership,
)
from bemtevi.store.models import CampaignCounterRecord, CustomerRecord, SalesTable

COUNTER_FIELDS = frozenset({"pk", "sk", "kind", "day", "store_id"})


@dataclass(frozen=True)
class CounterRow:
    day: str
    store_id: str
    counts: dict[str, int]


def join(tenant_id: str, customer_id: str, membership: Membership) -> bool:
    """Add the member's marker (False when they already are a member, or the customer is
    gone). The write is conditioned on the revision read (and bumps it), so a sale that
    read the item before fails its own condition and retries with the marker."""
    for _ in range(3):
        try:
            record = CustomerRecord.get(*CustomerRecord.keys(tenant_id, customer_id))
        except CustomerRecord.DoesNotExist:
            return False
        markers = markers_from(json.loads(record.cm) if record.cm else None)
        if any(marker.campaign_id == membership.campaign_id for marker in markers):
            return False
        joined = with_membership(markers, membership, membership.starts_at)
        try:
            record.update(actions=[CustomerRecord.cm.set(json.dumps(markers_attribute(joined)))])
        except UpdateError:
            continue
        return True
    return False


def add_counters(
    tenant_id: str, marker_id: str, day: str, store_id: str, **increments: int
) -> None:
    """ADD to a campaign's counters of a day and store (sends, costs)."""
    actions = [Path(name).add(amount) for name, amount in increments.items() if amount]
    if not actions:
        return
    item = CampaignCounterRecord(*CampaignCounterRecord.keys(tenant_id, marker_id, day, store_id))
    item.update(
        actions=[
            CampaignCounterRecord.day.set(day),
            CampaignCounterRecord.store_id.set(store_id),
            *actions,
        ]
    )


def counters(tenant_id: str, marker_id: str, first_day: str, last_day: str) -> list[CounterRow]:
    """A campaign's counters from the first to the last day (tenant-local), one Query."""
    partition, _ = CampaignCounterRecord.keys(tenant_id, marker_id, first_day, "")
    query = {
        "TableName": SalesTable.Meta.table_name,
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
        "ExpressionAttributeValues": {
            ":pk": {"S": partition},
            ":first": {"S": f"{first_day}#"},
            ":last": {"S": f"{last_day}#\uffff"},
        },
    }
    rows = []
    while True:
        page = aws.client("dynamodb").query(**query)
        rows += [_row(item) for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return rows
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _row(item: dict) -> CounterRow:
    counts = {
        name: int(value["N"])
        for name, value in item.items()
        if name not in COUNTER_FIELDS and "N" in value
    }
    day, store_id = item["sk"]["S"].split("#", 1)
    return CounterRow(day=day, store_id=store_id, counts=counts)
