"""Every PynamoDB model talks to DynamoDB through one Connection that uses the process's
one DynamoDB client (bemtevi.aws).

Left alone, PynamoDB gives each model class its own Connection, and each Connection
builds its own botocore session and client on first use: seven of them for one sale,
most of a cold first request. PynamoDB 6.1 takes no connection or client from outside,
so the table models inherit `SharedConnectionModel`, whose `_get_connection` lets
PynamoDB build its TableConnection (key schema and indexes, no I/O) and then points it
at the shared Connection; that Connection's `client` is the shared one.
"""

from __future__ import annotations

import threading
from typing import Any

from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import TableError
from pynamodb.models import Model

from bemtevi import aws


class SharedClientConnection(Connection):
    """A PynamoDB Connection that holds no client of its own."""

    @property
    def client(self) -> Any:
        return aws.client("dynamodb")


_shared: SharedClientConnection | None = None
_lock = threading.Lock()


def shared_connection() -> SharedClientConnection:
    """The one Connection of every table (it knows each table's keys and indexes)."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = SharedClientConnection()
    return _shared


class SharedConnectionModel(Model):
    """Base of the table models: their TableConnections share one Connection."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        if table.connection is not shared_connection():
            shared = shared_connection()
            with _lock:
                try:
                    shared.get_meta_table(table.table_name)
                except TableError:
                    shared.add_meta_table(table.get_meta_table())
            table.connection = shared
        return table


def unversioned_update(
    model: type[SharedConnectionModel],
    hash_key: str,
    range_key: str,
    actions: list[Any],
    condition: Any,
) -> None:
    """An UpdateItem that leaves the model's version attribute alone (PynamoDB's
    `Model.update` always bumps it): for bookkeeping, such as when a key was last used,
    that must not make a concurrent versioned write fail."""
    model._get_connection().update_item(
        hash_key, range_key=range_key, actions=actions, condition=condition
    )
