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


def test_a_cold_sale_opens_key_and_pepper_with_one_decrypt_beside_the_tenants_read(pos, store):
    """The key's record carries the tenant's pepper in its secrets' envelope: a cold sale
    makes one KMS Decrypt, right after the key's GetItem and while the tenant's BatchGetItem
    is on the wire, then the sale's own two (GetItem -> [Decrypt || BatchGetItem] ->
    TransactGetItems -> TransactWriteItems). Decrypt and BatchGetItem are slowed down here
    so that the overlap shows whatever the machine's speed."""
    import threading
    import time
    from collections import Counter

    from bemtevi import aws
    from bemtevi.security import sealing
    from functions.common import auth, tenancy

    pos.post("/v1/sales", sale("warm-up", customer={"cpf": CPF}))
    auth._SEEN.clear()
    auth.forget_key(store["key_id"])
    tenancy.forget_tenant("rede-teste")
    sealing._OPENED_DATA_KEYS.clear()  # a new Lambda has opened no envelope
    calls: list[tuple[str, str, str, float]] = []

    def noted(when: str):
        def hook(model, **_) -> None:
            if when == "end" and model.name in ("Decrypt", "BatchGetItem"):
                time.sleep(0.3)
            calls.append((when, model.name, threading.current_thread().name, time.monotonic()))

        return hook

    hooks = [("before-call", noted("start")), ("after-call", noted("end"))]
    clients = [aws.client("dynamodb"), aws.client("kms")]
    for client in clients:
        for event, hook in hooks:
            client.meta.events.register(event, hook)
    try:
        answer = pos.post("/v1/sales", sale("cold-4", customer={"cpf": CPF})).json_body
    finally:
        for client in clients:
            for event, hook in hooks:
                client.meta.events.unregister(event, hook)
    started = Counter(name for when, name, _, _ in calls if when == "start")
    assert started == {
        "GetItem": 1,
        "Decrypt": 1,
        "BatchGetItem": 1,
        "TransactGetItems": 1,
        "TransactWriteItems": 1,
    }
    at = {(when, name): moment for when, name, _, moment in calls}
    thread = {name: on for when, name, on, _ in calls if when == "start"}
    assert at["end", "GetItem"] <= min(at["start", "Decrypt"], at["start", "BatchGetItem"])
    # each starts before the other has ended: they run side by side
    assert at["start", "BatchGetItem"] < at["end", "Decrypt"]
    assert at["start", "Decrypt"] < at["end", "BatchGetItem"]
    assert max(at["end", "Decrypt"], at["end", "BatchGetItem"]) <= at["start", "TransactGetItems"]
    assert (thread["Decrypt"], thread["BatchGetItem"]) == (
        threading.current_thread().name,
        "tenant-prefetch",
    )
    # the pepper the key carried is the tenant's: the same customer, both sales counted
    assert answer["balance"] == 2 * answer["points_earned"]
