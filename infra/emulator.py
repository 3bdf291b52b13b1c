"""moto server as the embedded AWS of the local stack and the tests.

DynamoDB guarantees that a conditional transaction is atomic; moto's in-memory backend
does not when two requests run at once (it checks, copies and restores tables without a
lock). Serving one request at a time gives our concurrent clients the guarantee they get
from AWS, so races between them are real races, decided the way DynamoDB decides them.

Two patches keep a long-running stack (`make run`, the benchmarks) from growing without
bound, both applied by `EmulatedAws` (see `keep_memory_bounded`):

- moto registers every model object it ever creates (`BaseModel.instances_tracked`, read
  only by its `/moto-api/data.json` dashboard). Its TransactWriteItems deep-copies every
  table a transaction touches, to roll back, so each transaction left a copy of whole
  tables registered for good: about 1.4 MB per sale after a few thousand sales, until the
  kernel killed the process. Models are no longer registered (S3's still are: its reset
  closes their files through that list).
- The roll-back copy itself was of whole tables, so a transaction cost time in the size of
  the tables. It now keeps a copy of the items the transaction names, and restores them
  when the transaction is cancelled: the same outcome, at the cost of the transaction.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.core.common_models import BaseModel
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


class OneAtATime:
    """WSGI middleware: one request inside the wrapped application at a time."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


def keep_memory_bounded() -> None:
    """Apply both patches (once; calling again changes nothing)."""
    if getattr(BaseModel.__new__, "_bemtevi", False):
        return
    BaseModel.__new__ = staticmethod(_new_model)  # type: ignore[method-assign]
    dynamodb_models.copy = _CopyAllButTables()  # type: ignore[assignment]  # moto's module, patched
    DynamoDBBackend.transact_write_items = _restoring_named_items(  # type: ignore[method-assign]
        DynamoDBBackend.transact_write_items
    )


def _new_model(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
    instance = super(BaseModel, cls).__new__(cls)
    if cls.__module__.startswith("moto.s3."):
        cls.instances_tracked.append(instance)  # type: ignore[attr-defined]
    return instance


_new_model._bemtevi = True  # type: ignore[attr-defined]


class _CopyAllButTables:
    """`copy` as moto's DynamoDB backend sees it: a table is not copied (the transaction
    wrapper below restores the items instead), anything else is."""

    @staticmethod
    def deepcopy(value: Any, memo: dict | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


_Snapshot = tuple[Table, DynamoType, DynamoType | None, Item | None]


def _restoring_named_items(transact: Callable[..., None]) -> Callable[..., None]:
    @wraps(transact)
    def transact_write_items(
        backend: DynamoDBBackend, transact_items: list[dict[str, Any]]
    ) -> None:
        snapshots = [
            snapshot
            for request in transact_items
            if (snapshot := _snapshot(backend, request)) is not None
        ]
        try:
            transact(backend, transact_items)
        except Exception:
            for snapshot in reversed(snapshots):
                _restore(*snapshot)
            raise

    return transact_write_items


def _snapshot(backend: DynamoDBBackend, request: dict[str, Any]) -> _Snapshot | None:
    """The item a transaction's operation names, copied as it is now (None: no item)."""
    operation = next(iter(request.values()), None)
    if not isinstance(operation, dict):
        return None
    table = backend.tables.get(operation.get("TableName", ""))
    key = operation.get("Key") or operation.get("Item")
    if table is None or not isinstance(key, dict) or table.hash_key_attr not in key:
        return None
    hash_key = DynamoType(key[table.hash_key_attr])
    range_key = None
    if table.range_key_attr is not None:
        if table.range_key_attr not in key:
            return None
        range_key = DynamoType(key[table.range_key_attr])
    # moto types every table's items as range-keyed dicts; a hash-only table holds Items
    items: dict[DynamoType, Any] = table.items
    current = items.get(hash_key)
    if range_key is not None:
        current = current.get(range_key) if current else None
    return table, hash_key, range_key, copy.deepcopy(current)


def _restore(
    table: Table, hash_key: DynamoType, range_key: DynamoType | None, item: Item | None
) -> None:
    items: dict[DynamoType, Any] = table.items  # as in _snapshot: Items or range-keyed dicts
    if range_key is None:
        if item is None:
            items.pop(hash_key, None)
        else:
            items[hash_key] = item
        return
    if item is None:
        items.get(hash_key, {}).pop(range_key, None)
    else:
        items[hash_key][range_key] = item


class EmulatedAws(ThreadedMotoServer):
    def __init__(self, host: str, port: int) -> None:
        keep_memory_bounded()
        super().__init__(ip_address=host, port=port, verbose=False)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def _server_entry(self) -> None:
        app = OneAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()
