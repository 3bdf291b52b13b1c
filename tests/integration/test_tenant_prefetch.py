"""A cold request reads its tenant while it opens its store's secret: the key names the
tenant, and the tenant's read (a BatchGetItem) runs on a thread of its own instead of
after the secret's Decrypt. The key's envelope carries the pepper too; a key written
before it did has the tenant's own pepper opened on the tenant's thread."""

import threading

import pytest

from bemtevi import aws
from bemtevi.errors import NotFound
from bemtevi.security import sealing
from bemtevi.store import network
from functions.common import auth, tenancy
from functions.network import stores
from tests.integration.test_sales import CPF, sale


def _cold_sale(pos, store, sale_id: str) -> tuple[dict, dict[str, list[str]]]:
    """A sale as a new Lambda makes it, and the thread of each AWS call it made."""
    auth.forget_key(store["key_id"])
    tenancy.forget_tenant("rede-teste")
    sealing._OPENED_DATA_KEYS.clear()
    threads: dict[str, list[str]] = {}

    def record(model, **_) -> None:
        threads.setdefault(model.name, []).append(threading.current_thread().name)

    clients = [aws.client("dynamodb"), aws.client("kms")]
    for client in clients:
        client.meta.events.register("before-call", record)
    try:
        answer = pos.post("/v1/sales", sale(sale_id, customer={"cpf": CPF})).json_body
    finally:
        for client in clients:
            client.meta.events.unregister("before-call", record)
    return answer, threads


def _as_written_before_keys_carried_the_pepper(store: dict) -> None:
    key = network.find_key(store["key_id"])
    context = auth.key_context("rede-teste", "loja-1", store["key_id"])
    (version, created, _), *_ = key.secrets
    network.save_secrets(key, [(version, created, sealing.seal(store["secret"], context))], None)


def test_a_cold_sale_reads_its_tenant_on_another_thread(pos, store):
    answer, threads = _cold_sale(pos, store, "prefetch-1")
    request = threading.current_thread().name
    assert threads["GetItem"] == [request]
    assert threads["BatchGetItem"] == ["tenant-prefetch"]
    assert threads["Decrypt"] == [request]  # the key's secret and the pepper, together
    assert threads["TransactWriteItems"] == [request]
    assert answer["points_earned"] == 159


def test_a_key_without_the_pepper_opens_the_tenants_own_on_the_tenants_thread(pos, store):
    first = pos.post("/v1/sales", sale("prefetch-2", customer={"cpf": CPF})).json_body
    _as_written_before_keys_carried_the_pepper(store)
    assert network.find_key(store["key_id"]).pepper is None
    answer, threads = _cold_sale(pos, store, "prefetch-3")
    request = threading.current_thread().name
    assert threads["BatchGetItem"] == ["tenant-prefetch"]
    assert sorted(threads["Decrypt"]) == sorted([request, "tenant-prefetch"])
    # the same pepper either way: the same customer
    assert answer["balance"] == first["balance"] + answer["points_earned"]


def test_resealing_an_old_key_gives_it_the_pepper_and_keeps_its_secret(pos, store):
    first = pos.post("/v1/sales", sale("prefetch-4", customer={"cpf": CPF})).json_body
    _as_written_before_keys_carried_the_pepper(store)
    assert stores.reseal_store_key("rede-teste", "loja-1")["secrets_active"] == 1
    key = network.find_key(store["key_id"])
    assert key.pepper is not None
    assert key.pepper.encrypted_data_key == key.secrets[0][2].encrypted_data_key
    answer, threads = _cold_sale(pos, store, "prefetch-5")  # signed with the same secret
    assert threads["Decrypt"] == [threading.current_thread().name]
    assert answer["balance"] == first["balance"] + answer["points_earned"]


def test_a_failed_prefetch_is_raised_to_its_reader_and_not_kept(aws):
    tenancy.prefetch("rede-nova")
    with pytest.raises(NotFound):
        tenancy.tenant("rede-nova")
    stores.create_tenant("rede-nova", "Rede Nova")
    assert tenancy.tenant("rede-nova").name == "Rede Nova"
