"""Redemptions and value given per benefit, kept on the store-day counter the redemption
already updates: one top-level number per benefit and figure (`benefit#<id>#redemptions`,
`benefit#<id>#value`), ADDed in the redemption's own transaction and subtracted by its
cancellation, on the day each happened. Top-level, because an ADD into a map fails
while the map does not exist yet, and the first write of a store-day may be the
redemption itself. The model does not declare them (their names depend on the
benefit), so they are read with the client, naming them in the projection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pynamodb.expressions.operand import Path
from pynamodb.expressions.update import Action

from bemtevi import aws
from bemtevi.store.models import DayCounterRecord, SalesTable

FIGURES = ("redemptions", "value")
_BATCH = 100


def attribute(benefit_id: str, figure: str) -> str:
    return f"benefit#{benefit_id}#{figure}"


def redemption_actions(benefit_id: str, value: int, sign: int) -> list[Action]:
    """The ADDs of one redemption (`sign` +1) or of its cancellation (-1)."""
    return [
        Path([attribute(benefit_id, "redemptions")]).add(sign),
        Path([attribute(benefit_id, "value")]).add(sign * value),
    ]


def per_benefit(
    tenant_id: str, stores: Iterable[str], days: Iterable[date], benefit_ids: list[str]
) -> dict[str, dict[str, int]]:
    """{benefit id: {"redemptions": n, "value": centavos}} over the stores' days: a
    BatchGetItem of the day counters (100 keys a call), projected on these figures."""
    totals = {benefit: dict.fromkeys(FIGURES, 0) for benefit in benefit_ids}
    if not benefit_ids:
        return totals
    keys = [DayCounterRecord.keys(tenant_id, s, d.isoformat()) for s in stores for d in days]
    found = {attribute(b, figure): (b, figure) for b in benefit_ids for figure in FIGURES}
    names = {f"#a{index}": name for index, name in enumerate(found)}
    for item in _items(keys, names):
        for name, value in item.items():
            benefit, figure = found[name]
            totals[benefit][figure] += int(value["N"])
    return totals


def _items(keys: list[tuple[str, str]], names: dict[str, str]) -> Iterable[dict]:
    client = aws.client("dynamodb")
    table = SalesTable.Meta.table_name
    projection = ", ".join(names)
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        pending: list[dict] = [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in chunk]
        while pending:
            answer = client.batch_get_item(
                RequestItems={
                    table: {
                        "Keys": pending,
                        "ProjectionExpression": projection,
                        "ExpressionAttributeNames": names,
                    }
                }
            )
            yield from answer["Responses"].get(table, [])
            pending = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
