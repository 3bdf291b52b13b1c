"""A cold request reads its tenant while it opens its store's secret: the key names the
tenant, and the tenant's read (a BatchGetItem and the pepper's KMS Decrypt) runs on a
thread of its own instead of after the secret's Decrypt."""

import threading

import pytest

from bemtevi import aws
from bemtevi.errors import NotFound
from functions.common import auth, tenancy
from functions.network import stores
from tests.integration.test_sales import CPF, sale


def test_a_cold_sale_reads_its_tenant_on_another_thread(pos, store):
    auth.forget_key(store["key_id"])
    tenancy.forget_tenant("rede-teste")
    threads: dict[str, list[str]] = {}

    def record(model, **_) -> None:
        threads.setdefault(model.name, []).append(threading.current_thread().name)

    clients = [aws.client("dynamodb"), aws.client("kms")]
    for client in clients:
        client.meta.events.register("before-call", record)
    try:
        answer = pos.post("/v1/sales", sale("prefetch-1", customer={"cpf": CPF})).json_body
    finally:
        for client in clients:
            client.meta.events.unregister("before-call", record)
    request = threading.current_thread().name
    assert threads["GetItem"] == [request]
    assert threads["BatchGetItem"] == ["tenant-prefetch"]
    assert sorted(threads["Decrypt"]) == sorted([request, "tenant-prefetch"])
    assert threads["TransactWriteItems"] == [request]
    assert answer["points_earned"] == 159


def test_a_failed_prefetch_is_raised_to_its_reader_and_not_kept(aws):
    tenancy.prefetch("rede-nova")
    with pytest.raises(NotFound):
        tenancy.tenant("rede-nova")
    stores.create_tenant("rede-nova", "Rede Nova")
    assert tenancy.tenant("rede-nova").name == "Rede Nova"
