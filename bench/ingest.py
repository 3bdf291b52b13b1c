"""Cost of the ingestion path, against moto server (the local stack's AWS).

Counts DynamoDB round trips with botocore's event hooks (moto copies tables on every
transaction, so its milliseconds say little): per sale on the happy path (warm Lambda),
per replayed sale, per batch of 500 customers. Then the app's own overhead: the time per
sale through the whole app (routing, signature, validation, rules) next to the time of the
very same DynamoDB calls issued raw with boto3 in this run (the replayed writes are
refused by their conditions, which costs DynamoDB the same round trip).

Last line: round_trips_per_sale=<n> replay=<n> batch500_calls=<n> overhead_ratio=<x>
"""

from __future__ import annotations

import contextlib
import json
import time

from local_aws import emulated_aws, signed_post

SALES = 40


def main() -> None:
    with emulated_aws():
        run()


def run() -> None:
    from chalice.test import Client
    from validate_docbr import CPF

    from app import app
    from bemtevi import aws
    from bemtevi.store.call_count import counting_dynamodb_calls
    from functions.network import stores

    stores.create_tenant("bench", "Rede Bench")
    store = stores.add_store("bench", "centro", "Centro")
    cpfs = CPF().generate_list(SALES, repeat=False)

    def sale(n: int) -> dict:
        return {
            "sale_id": f"v-{n}",
            "occurred_at": "2026-11-20T15:30:00-03:00",
            "total": 10000 + n,
            "customer": {"cpf": cpfs[n % SALES], "name": f"Cliente {n}"},
        }

    captured: list[tuple[str, dict]] = []

    def capture(model, params, **_):  # botocore's hook signature
        captured.append((model.name, json.loads(json.dumps(params, default=_bytes))))

    with Client(app) as client:
        signed_post(client, store, "/v1/sales", sale(-1))  # warm: key, tenant and program cached
        dynamodb = aws.client("dynamodb")  # every model's client
        dynamodb.meta.events.register("provide-client-params.dynamodb", capture)
        started = time.perf_counter()
        with counting_dynamodb_calls() as calls:
            for n in range(SALES):
                signed_post(client, store, "/v1/sales", sale(n))
        app_seconds = time.perf_counter() - started
        dynamodb.meta.events.unregister("provide-client-params.dynamodb", capture)
        per_sale = sum(calls.values()) / SALES
        raw_seconds = replay_raw(captured)
        with counting_dynamodb_calls() as calls:
            for n in range(SALES):
                signed_post(client, store, "/v1/sales", sale(n))
        per_replay = sum(calls.values()) / SALES
        batch = {
            "customers": [
                {"cpf": cpf, "phone": f"+55219{n:08d}"}
                for n, cpf in enumerate(CPF().generate_list(500, repeat=False))
            ]
        }
        with counting_dynamodb_calls() as calls:
            signed_post(client, store, "/v1/customers/batch", batch)
        batch_calls = sum(calls.values())

    print(f"sales={SALES} dynamodb_calls_per_sale={per_sale:.2f} replay={per_replay:.2f}")
    print(f"app_ms_per_sale={app_seconds / SALES * 1000:.1f}")
    print(f"raw_ms_per_sale={raw_seconds / SALES * 1000:.1f} (the same calls, plain boto3)")
    print(
        f"round_trips_per_sale={per_sale:g} replay={per_replay:g} "
        f"batch500_calls={batch_calls} overhead_ratio={app_seconds / raw_seconds:.2f}"
    )


def replay_raw(captured: list[tuple[str, dict]]) -> float:
    """The same calls with a plain boto3 client; writes meet their conditions and are
    refused, a round trip all the same."""
    import boto3

    raw = boto3.client("dynamodb")
    started = time.perf_counter()
    for operation, params in captured:
        with contextlib.suppress(raw.exceptions.TransactionCanceledException):
            getattr(raw, _snake(operation))(**_unbytes(params))
    return time.perf_counter() - started


def _bytes(value: object) -> dict:
    if isinstance(value, bytes):
        return {"__bytes__": value.hex()}
    raise TypeError(type(value))


def _unbytes(value: object) -> object:
    if isinstance(value, dict):
        if set(value) == {"__bytes__"}:
            return bytes.fromhex(value["__bytes__"])
        return {key: _unbytes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unbytes(item) for item in value]
    return value


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


if __name__ == "__main__":
    main()
