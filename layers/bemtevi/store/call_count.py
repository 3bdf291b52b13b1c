"""Count the DynamoDB round trips made by our models, through botocore's event hooks:
the measure of cost that benchmarks and tests report (moto copies tables on every
transaction, so time says little; calls say what AWS would bill and wait for).

Every model talks through the process's one DynamoDB client (bemtevi.store.connection),
so hooking that client sees every call of every model."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from bemtevi import aws


@contextmanager
def _hooked(event: str, handler: Callable[..., None], clients: Iterable[Any]) -> Iterator[None]:
    """`handler` on `event` of each client (once per client) while the block runs."""
    unique = list({id(client): client for client in clients}.values())
    for client in unique:
        client.meta.events.register(event, handler)
    try:
        yield
    finally:
        for client in unique:
            client.meta.events.unregister(event, handler)


@contextmanager
def counting_dynamodb_calls() -> Iterator[Counter]:
    """Yields a Counter of operation names (GetItem, TransactWriteItems, ...), filled
    while the block runs."""
    calls: Counter = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    with _hooked("before-call.dynamodb", count, [aws.client("dynamodb")]):
        yield calls


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

    with _hooked("after-call.dynamodb", count, [aws.client("dynamodb")]):
        yield items


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
    not yet), our models' included: what a job costs in AWS calls of any kind."""
    calls: Counter = Counter()
    lock = threading.Lock()

    def count(event_name: str, **_: Any) -> None:
        service, operation = event_name.split(".", 2)[1:]
        with lock:
            calls[f"{service}.{operation}"] += 1

    every = [aws.client(name) for name in services]
    every += [aws.client_without_retries(name) for name in services]
    with _hooked("before-call.*.*", count, every):
        yield calls
