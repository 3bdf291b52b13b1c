"""DynamoDB capacity units of what the app actually writes and reads, by DynamoDB's own
rules (moto's ConsumedCapacity answers are stubs), through botocore's event hooks.

Item size: attribute names plus values (strings and binaries by length, numbers about one
byte per two significant digits plus one, lists and maps 3 bytes plus 1 per element,
booleans and nulls 1). Writes: 1 unit per KB of the larger of the item before and after
(PutItem, UpdateItem), of the item deleted (DeleteItem), of the item checked
(ConditionCheck, at least 1); 2x inside TransactWriteItems. Every global secondary index
whose projected entry changes costs a write of the entry (a delete and a put when its key
changes; index entries are not doubled by the transaction). Reads: 1 unit per 4 KB
(strongly consistent; half for eventually consistent; 2x transactional), an absent item
counting as 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

WRITE_USD_PER_MILLION = 0.625
READ_USD_PER_MILLION = 0.125


def value_size(value: dict) -> int:
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "B":
        return len(content)
    if kind == "N":
        digits = str(Decimal(content).normalize()).lstrip("-").replace(".", "")
        digits = digits.split("E")[0].strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(item) for item in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_size(item) for name, item in content.items())
    if kind == "SS":
        return sum(len(item.encode()) for item in content)
    if kind == "BS":
        return sum(len(item) for item in content)
    if kind == "NS":
        return sum(value_size({"N": item}) for item in content)
    raise ValueError(kind)


def item_size(item: dict | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def read_units(size: int, consistent: bool = True) -> float:
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2


class Meter:
    """Counts units on DynamoDB clients: `with meter.measuring(clients): ...` then
    `meter.writes`, `meter.reads` (Counters by table and by "index:<name>")."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw  # a client without the hooks, to read items before and after
        self.writes: Counter = Counter()
        self.reads: Counter = Counter()
        self._indexes: dict[str, list[tuple[str, list[str], dict]]] = {}
        self._keys: dict[str, list[str]] = {}
        self._pending: list[tuple[str, str, dict, dict | None, bool]] = []

    @property
    def usd_per_million(self) -> float:
        return (
            sum(self.writes.values()) * WRITE_USD_PER_MILLION
            + sum(self.reads.values()) * READ_USD_PER_MILLION
        )

    def reset(self) -> None:
        self.writes.clear()
        self.reads.clear()

    @contextmanager
    def measuring(self, clients: list[Any]) -> Iterator[Meter]:
        for client in clients:
            client.meta.events.register("provide-client-params.dynamodb", self._before)
            client.meta.events.register("after-call.dynamodb", self._after)
        try:
            yield self
        finally:
            for client in clients:
                client.meta.events.unregister("provide-client-params.dynamodb", self._before)
                client.meta.events.unregister("after-call.dynamodb", self._after)

    def _describe(self, table: str) -> None:
        if table in self._keys:
            return
        description = self.raw.describe_table(TableName=table)["Table"]
        self._keys[table] = [key["AttributeName"] for key in description["KeySchema"]]
        self._indexes[table] = [
            (
                index["IndexName"],
                [key["AttributeName"] for key in index["KeySchema"]],
                index["Projection"],
            )
            for index in description.get("GlobalSecondaryIndexes", [])
        ]

    def _get(self, table: str, key: dict) -> dict | None:
        return self.raw.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def _before(self, model: Any, params: dict, **_: Any) -> None:
        body = params
        actions: list[tuple[str, str, dict, bool]] = []
        if model.name == "TransactWriteItems":
            for action in body["TransactItems"]:
                (kind, detail), *_ = action.items()
                key = detail.get("Key") or self._key_of(detail["TableName"], detail["Item"])
                actions.append((kind, detail["TableName"], key, True))
        elif model.name in ("PutItem", "UpdateItem", "DeleteItem"):
            key = body.get("Key") or self._key_of(body["TableName"], body["Item"])
            actions.append((model.name.removesuffix("Item"), body["TableName"], key, False))
        elif model.name == "BatchWriteItem":
            for table, requests in body["RequestItems"].items():
                for request in requests:
                    if "PutRequest" in request:
                        item = request["PutRequest"]["Item"]
                        actions.append(("Put", table, self._key_of(table, item), False))
                    else:
                        actions.append(("Delete", table, request["DeleteRequest"]["Key"], False))
        self._pending = [
            (kind, table, key, self._get(table, key), transactional)
            for kind, table, key, transactional in actions
        ]

    def _key_of(self, table: str, item: dict) -> dict:
        self._describe(table)
        return {name: item[name] for name in self._keys[table]}

    def _after(self, model: Any, http_response: Any, parsed: dict, **_: Any) -> None:
        if http_response.status_code >= 300:
            self._pending = []
            return
        for kind, table, key, before, transactional in self._pending:
            after = self._get(table, key)
            factor = 2 if transactional else 1
            if kind == "ConditionCheck":
                self.writes[table] += factor * write_units(item_size(before))
                continue
            size = max(item_size(before), item_size(after))
            self.writes[table] += factor * write_units(size)
            self._index_writes(table, before, after)
        self._pending = []
        self._count_reads(model.name, parsed)

    def _index_writes(self, table: str, before: dict | None, after: dict | None) -> None:
        self._describe(table)
        for name, keys, projection in self._indexes[table]:
            old = self._entry(table, keys, projection, before)
            new = self._entry(table, keys, projection, after)
            if old == new:
                continue
            if old is not None and new is not None and all(old[k] == new[k] for k in keys):
                self.writes[f"index:{name}"] += write_units(item_size(new))
                continue
            if old is not None:
                self.writes[f"index:{name}"] += write_units(item_size(old))
            if new is not None:
                self.writes[f"index:{name}"] += write_units(item_size(new))

    def _entry(self, table: str, keys: list[str], projection: dict, item: dict | None):
        if not item or not all(key in item for key in keys):
            return None
        kind = projection["ProjectionType"]
        if kind == "ALL":
            return dict(item)
        names = {*self._keys[table], *keys}
        if kind == "INCLUDE":
            names |= set(projection.get("NonKeyAttributes", []))
        return {name: value for name, value in item.items() if name in names}

    def _count_reads(self, operation: str, parsed: dict) -> None:
        if operation == "TransactGetItems":
            for response in parsed.get("Responses", []):
                self.reads["transact_get"] += 2 * read_units(item_size(response.get("Item")))
        elif operation == "GetItem":
            self.reads["get"] += read_units(item_size(parsed.get("Item")))
        elif operation in ("Query", "Scan"):
            size = sum(item_size(item) for item in parsed.get("Items", []))
            self.reads["query"] += read_units(size, consistent=False)
        elif operation == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                for item in items:
                    self.reads["batch_get"] += read_units(item_size(item))
