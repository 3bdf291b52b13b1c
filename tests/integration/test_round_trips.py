"""DynamoDB round trips on the hot paths, counted with botocore's event hooks."""

from bemtevi.store.call_count import counting_dynamodb_calls
from tests.integration.test_sales import CPF, sale


def test_a_sale_costs_two_round_trips_and_a_replay_one(pos):
    pos.post("/v1/sales", sale("warm-up", customer={"cpf": CPF}))
    with counting_dynamodb_calls() as calls:
        pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF}))
    assert calls == {"TransactGetItems": 1, "TransactWriteItems": 1}
    with counting_dynamodb_calls() as calls:
        pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF}))
    assert calls == {"TransactGetItems": 1}
    with counting_dynamodb_calls() as calls:
        pos.post("/v1/sales", sale("v-2"))
    assert calls == {"TransactGetItems": 1, "TransactWriteItems": 1}


def test_a_cold_sale_reads_the_key_and_then_the_whole_tenant_in_one_call(pos, store):
    """A new Lambda knows neither the store's key nor its tenant: one GetItem for the key
    (it names the tenant), one BatchGetItem for the tenant's record, points program,
    benefit rules and message settings, then the sale's own two. (The key was seen within
    the hour by another Lambda, so its "last seen" is not written again.)"""
    from functions.common import auth, tenancy

    pos.post("/v1/sales", sale("warm-up"))
    auth._SEEN.clear()
    auth.forget_key(store["key_id"])
    tenancy.forget_tenant("rede-teste")
    with counting_dynamodb_calls() as calls:
        answer = pos.post("/v1/sales", sale("cold-1", customer={"cpf": CPF})).json_body
    assert calls == {
        "GetItem": 1,
        "BatchGetItem": 1,
        "TransactGetItems": 1,
        "TransactWriteItems": 1,
    }
    assert answer["points_earned"] > 0


def test_a_batch_costs_at_most_one_call_per_20_customers(pos):
    """100 here (moto copies tables in transactions); bench/ingest.py measures 500."""
    from validate_docbr import CPF as CpfTool

    cpfs = CpfTool().generate_list(100, repeat=False)
    phones = [f"+55119{n:08d}" for n in range(100)]
    batch = {"customers": [{"cpf": c, "phone": p} for c, p in zip(cpfs, phones, strict=True)]}
    pos.post("/v1/sales", sale("warm-up"))
    with counting_dynamodb_calls() as calls:
        results = pos.post("/v1/customers/batch", batch).json_body["results"]
    assert {r["status"] for r in results} == {"ok"}
    assert sum(calls.values()) <= 5, calls
    assert calls["TransactWriteItems"] == 2  # 100 customers and 100 phone aliases


def test_a_cold_requests_last_seen_write_runs_beside_it_and_ends_before_the_answer(pos, store):
    """The key's "last seen" UpdateItem is off the cold request's path: it runs on a thread
    of its own while the sale goes on, and it has finished when the POS gets its answer
    (Lambda freezes the process right after)."""
    import threading

    from bemtevi import aws
    from bemtevi.store import network
    from functions.common import auth

    writes: list[tuple[str, str]] = []

    def noted(when: str):
        def hook(**_) -> None:
            writes.append((when, threading.current_thread().name))

        return hook

    auth._SEEN.clear()  # the key was never seen: its first request notes it
    events = aws.client("dynamodb").meta.events
    started, ended = noted("started"), noted("ended")
    events.register("before-call.dynamodb.UpdateItem", started)
    events.register("after-call.dynamodb.UpdateItem", ended)
    try:
        pos.post("/v1/sales", sale("cold-2", customer={"cpf": CPF}))
        answered = list(writes)
    finally:
        events.unregister("before-call.dynamodb.UpdateItem", started)
        events.unregister("after-call.dynamodb.UpdateItem", ended)
    assert answered == [("started", "key-seen"), ("ended", "key-seen")]
    assert network.find_key(store["key_id"]).last_seen_at is not None


def test_a_cold_key_gets_its_kms_client_ready_while_the_key_is_read(pos, store):
    """A new Lambda creates its KMS client (to open the key's secret) on a thread that
    runs while the key's GetItem waits, not after it on the request's own thread."""
    import threading

    from bemtevi import aws
    from functions.common import auth, tenancy

    created_on: list[str] = []

    def creating(**_) -> None:
        created_on.append(threading.current_thread().name)

    aws.forget_clients()
    auth.forget_key(store["key_id"])
    tenancy.forget_tenant("rede-teste")
    aws.session().register("creating-client-class.kms", creating)
    answer = pos.post("/v1/sales", sale("cold-3", customer={"cpf": CPF})).json_body
    assert created_on == ["open-ahead"]
    assert answer["points_earned"] > 0
