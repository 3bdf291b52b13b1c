"""What the benchmarks share: moto server on a free loopback port as their AWS, with the
tables, KMS key and queue created, and a signed POST through the app in-process."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers")]


@contextmanager
def emulated_aws() -> Iterator[None]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="sa-east-1",
        BEMTEVI_STAGE="bench",
        POWERTOOLS_METRICS_DISABLED="true",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )
    from infra.bootstrap import bootstrap
    from infra.emulator import EmulatedAws

    aws = EmulatedAws("127.0.0.1", port)
    aws.start()
    try:
        bootstrap()
        yield
    finally:
        aws.stop()


def skip_table_copies() -> None:
    """moto copies every table a transaction touches (to roll back); with thousands of
    items that takes seconds per transaction. Benchmarks measure reads and writes, not
    rollbacks, so they skip the copy."""
    import copy

    import moto.dynamodb.models as dynamodb
    from moto.dynamodb.models.table import Table

    deep = copy.deepcopy

    class Shallow:
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else deep(value, memo)

    dynamodb.copy = Shallow


def signed_post(client: Any, store: dict, path: str, body: dict) -> dict:
    """POST through the Chalice test client, signed with the store's secret."""
    from bemtevi.security.signing import signed_headers

    raw = json.dumps(body).encode()
    headers = signed_headers(store["key_id"], store["secret"], "POST", path, raw)
    response = client.http.post(path, headers=headers, body=raw)
    assert response.status_code < 300, response.json_body
    return response.json_body
