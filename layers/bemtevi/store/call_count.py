"""Count the DynamoDB round trips made by our models, through botocore's event hooks:
the measure of cost that benchmarks and tests report (moto copies tables on every
transaction, so time says little; calls say what AWS would bill and wait for)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.models import Model

from bemtevi.store.models import TABLES


def _all_models() -> list[type[Model]]:
    models: list[type[Model]] = []
    for root in TABLES.values():
        models.append(root)
        discriminator = root._get_discriminator_attribute()
        if discriminator is not None:
            models.extend(discriminator.get_registered_subclasses(Model))
    return models


@contextmanager
def counting_dynamodb_calls() -> Iterator[Counter]:
    """Yields a Counter of operation names (GetItem, TransactWriteItems, ...), filled
    while the block runs."""
    calls: Counter = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    clients = {id(client): client for client in _clients()}
    for client in clients.values():
        client.meta.events.register("before-call.dynamodb", count)
    try:
        yield calls
    finally:
        for client in clients.values():
            client.meta.events.unregister("before-call.dynamodb", count)


def _clients() -> list[Any]:
    return [model._get_connection().connection.client for model in _all_models()]


@contextmanager
def counting_items_read() -> Iterator[Counter]:
    """Yields a Counter of the items DynamoDB read per operation (what a Query scanned,
    what a GetItem, BatchGetItem or TransactGetItems returned), filled while the block
    runs, from any thread."""
    items: Counter = Counter()
    lock = threading.Lock()

    def count(parsed: dict, model: Any, **_: Any) -> None:
        with lock:
            items[model.name] += _items_in(parsed)

    clients = {id(client): client for client in _clients()}
    for client in clients.values():
        client.meta.events.register("after-call.dynamodb", count)
    try:
        yield items
    finally:
        for client in clients.values():
            client.meta.events.unregister("after-call.dynamodb", count)


def _items_in(parsed: dict) -> int:
    if "ScannedCount" in parsed:
        return int(parsed["ScannedCount"])
    if "Item" in parsed:
        return 1
    responses = parsed.get("Responses")
    if isinstance(responses, dict):
        return sum(len(found) for found in responses.values())
    if isinstance(responses, list):
        return sum(1 for found in responses if found.get("Item"))
    return 0


@contextmanager
def counting_aws_calls(
    services: tuple[str, ...] = ("dynamodb", "sns", "ses", "sqs"),
) -> Iterator[Counter]:
    """Yields a Counter of `service.Operation` for every call made, while the block runs,
    by the clients of bemtevi.aws of these services (both retry policies; created here if
    not yet) and by our models: what a job costs in AWS calls of any kind."""
    from bemtevi import aws

    calls: Counter = Counter()
    lock = threading.Lock()

    def count(event_name: str, **_: Any) -> None:
        service, operation = event_name.split(".", 2)[1:]
        with lock:
            calls[f"{service}.{operation}"] += 1

    every = [aws.client(name) for name in services]
    every += [aws.client_without_retries(name) for name in services]
    clients = {id(client): client for client in [*every, *_clients()]}
    for client in clients.values():
        client.meta.events.register("before-call.*.*", count)
    try:
        yield calls
    finally:
        for client in clients.values():
            client.meta.events.unregister("before-call.*.*", count)
