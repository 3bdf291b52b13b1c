"""/painel/lojas: a network admin adds, renames and re-keys stores through the very
functions `bemtevi store ...` calls; refusals (bad values, no CSRF token, a store
manager, another tenant's store) write nothing; a rotated secret signs POS requests and,
once the old one is retired, the old one gets 401; every change is in the audit."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client

from app import app
from bemtevi import aws
from bemtevi.errors import BemteviError
from bemtevi.security import signing
from bemtevi.store import audit as audit_log
from bemtevi.store import network
from bemtevi.store.call_count import counting_dynamodb_calls
from functions.common import auth
from functions.network import stores
from infra.chalice_config import load
from tests.integration import dashboard_people as people
from tests.integration.test_dashboard_sign_in import form_page, post

TEST_STAGE = "test"
CLIENT_STAGE = load()["stages"]["dev"]["environment_variables"]["BEMTEVI_STAGE"]
TENANT = people.TENANT_A
STORE_ID, STORE_NAME = people.STORE_A


@pytest.fixture
def http(aws):
    people.create_network()
    with Client(app) as client:
        sealing_key_of_the_clients_stage()
        yield client.http


def sealing_key_of_the_clients_stage() -> None:
    """The test client runs the app as the dev stage, whose sealing key alias names the
    emulated account's key (the test stage's alias is created by the bootstrap)."""
    kms = aws.client("kms")
    test_key = kms.describe_key(KeyId=f"alias/bemtevi-{TEST_STAGE}")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/bemtevi-{CLIENT_STAGE}", TargetKeyId=test_key)


def signed_in(http, who: str = "rede") -> tuple[str, str]:
    """A CSRF token and the Cookie header of `who`, from a page they may open."""
    path = "/painel/lojas" if who == "rede" else "/painel/sair"
    return form_page(http, path, people.sign_in(who).cookie())


def cli_refusal(function, *arguments) -> str:
    """The message the CLI's function gives for these values."""
    with pytest.raises(BemteviError) as refused:
        function(*arguments)
    return refused.value.message


def secret_on(page: bytes) -> str:
    found = re.search(r'id="segredo"[^>]* value="([^"]+)"', page.decode())
    assert found, "the page shows no secret"
    return found.group(1)


def me(http, key_id: str, secret: str) -> int:
    headers = signing.signed_headers(key_id, secret, "GET", "/v1/me")
    return http.get("/v1/me", headers=headers).status_code


def details() -> list[str]:
    entries, _ = audit_log.latest(TENANT, 50)
    return [entry.detail for entry in entries if entry.action == "change"]


def snapshot() -> list[tuple]:
    """Everything the page could change: stores, names, keys and their secrets."""
    found = network.list_stores(TENANT) + network.list_stores(people.TENANT_B)
    keys = network.store_keys([store.key_id for store in found])
    return [(s.store_id, s.name, s.key_id, keys[s.key_id].secrets) for s in found]


def test_the_list_shows_each_store_its_key_and_when_it_was_last_seen(http):
    key_id = network.get_store(TENANT, STORE_ID).key_id
    page = http.get("/painel/lojas", headers={"cookie": people.sign_in("rede").cookie()})
    text = page.body.decode()
    assert page.status_code == 200
    assert text.count("nenhum registrado") == 2
    assert key_id in text
    assert "Loja Beta" in text
    assert "Loja Gama" not in text


def test_adding_and_renaming_do_what_the_cli_does(http):
    token, jar = signed_in(http)
    added = post(http, "/painel/lojas", jar, {"csrf": token, "id": "loja-c", "name": "Loja Cê"})
    assert added.status_code == 200
    created = network.get_store(TENANT, "loja-c")
    assert created.name == "Loja Cê"
    assert created.key_id in added.body.decode()
    assert me(http, created.key_id, secret_on(added.body)) == 200

    renamed = post(
        http, "/painel/lojas/renomear", jar, {"csrf": token, "loja": STORE_ID, "name": " Centro "}
    )
    assert renamed.status_code == 303
    assert renamed.headers["Location"] == "/painel/lojas?aviso=renomeada"
    assert network.get_store(TENANT, STORE_ID).name == "Centro"
    assert [store["name"] for store in stores.list_stores(TENANT)] == [
        "Centro",
        "Loja Beta",
        "Loja Cê",
    ]
    assert details()[:2] == ["Loja loja-a renomeada", "Loja loja-c criada"]


@pytest.mark.parametrize(
    ("path", "fields", "field", "refusal"),
    [
        (
            "/painel/lojas",
            {"id": "Loja X", "name": "Nova"},
            "nova-id",
            lambda: cli_refusal(stores.add_store, TENANT, "Loja X", "Nova"),
        ),
        (
            "/painel/lojas",
            {"id": "loja-x", "name": "   "},
            "nova-nome",
            lambda: cli_refusal(stores.add_store, TENANT, "loja-x", "   "),
        ),
        (
            "/painel/lojas",
            {"id": STORE_ID, "name": "Outra"},
            "nova-id",
            lambda: cli_refusal(stores.add_store, TENANT, STORE_ID, "Outra"),
        ),
        (
            "/painel/lojas/renomear",
            {"loja": STORE_ID, "name": "x" * 200},
            f"nome-{STORE_ID}",
            lambda: cli_refusal(stores.rename_store, TENANT, STORE_ID, "x" * 200),
        ),
        (
            "/painel/lojas/aposentar",
            {"loja": STORE_ID},
            None,
            lambda: cli_refusal(stores.retire_old_store_secret, TENANT, STORE_ID),
        ),
    ],
    ids=["bad-id", "blank-name", "existing-id", "long-name", "nothing-to-retire"],
)
def test_a_refused_value_shows_the_clis_message_by_its_field_and_writes_nothing(
    http, path, fields, field, refusal
):
    token, jar = signed_in(http)
    before, logged = snapshot(), details()
    answer = post(http, path, jar, {"csrf": token, **fields})
    text = html.unescape(answer.body.decode())
    assert answer.status_code in {400, 409}
    assert refusal() in text
    if field is not None:
        assert f'id="{field}-erro">{refusal()}' in text
        value = fields.get("name") if "nome" in field else fields["id"]
        assert f'id="{field}" name="' in text
        assert f'value="{value}"' in text
    assert snapshot() == before
    assert details() == logged


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/painel/lojas", {"id": "loja-c", "name": "Loja Cê"}),
        ("/painel/lojas/renomear", {"loja": STORE_ID, "name": "Centro"}),
        ("/painel/lojas/segredo", {"loja": STORE_ID}),
        ("/painel/lojas/aposentar", {"loja": STORE_ID}),
    ],
)
def test_refused_visitors_write_nothing(http, path, fields):
    """No CSRF token, a token from another site, a store manager: 403; another tenant's
    store: 404. Nothing written, nothing audited."""
    stores.rotate_store_secret(TENANT, STORE_ID)  # so that retiring would change something
    token, jar = signed_in(http)
    manager_token, manager_jar = signed_in(http, "loja")
    before, logged = snapshot(), details()
    refusals = [
        (403, post(http, path, jar, fields)),
        (403, post(http, path, jar, {**fields, "csrf": "x" * 43})),
        (403, post(http, path, jar, {**fields, "csrf": token}, origin="https://outro.site")),
        (403, post(http, path, manager_jar, {**fields, "csrf": manager_token})),
    ]
    if "loja" in fields:
        other = {**fields, "loja": people.OTHER_STORE[0], "csrf": token}
        refusals.append((404, post(http, path, jar, other)))
    assert [answer.status_code for _, answer in refusals] == [code for code, _ in refusals]
    assert snapshot() == before
    assert details() == logged


def test_a_rotated_secret_signs_and_the_retired_one_is_refused(http):
    store = network.get_store(TENANT, STORE_ID)
    old = stores.rotate_store_secret(TENANT, STORE_ID)["secret"]
    stores.retire_old_store_secret(TENANT, STORE_ID)  # `old` is now the only secret
    assert me(http, store.key_id, old) == 200

    token, jar = signed_in(http)
    rotated = post(http, "/painel/lojas/segredo", jar, {"csrf": token, "loja": STORE_ID})
    assert rotated.status_code == 200
    new = secret_on(rotated.body)
    assert new != old
    assert "events/signed-curl.sh " + store.key_id in rotated.body.decode()
    assert me(http, store.key_id, new) == 200
    assert me(http, store.key_id, old) == 200
    listed = http.get("/painel/lojas", headers={"cookie": jar}).body.decode()
    assert "Aposentar o segredo antigo" in listed
    assert new not in listed

    retired = post(http, "/painel/lojas/aposentar", jar, {"csrf": token, "loja": STORE_ID})
    assert retired.status_code == 303
    assert me(http, store.key_id, old) == 401
    assert me(http, store.key_id, new) == 200
    assert details()[:2] == [
        f"Segredo antigo da loja {STORE_ID} aposentado",
        f"Novo segredo da loja {STORE_ID}",
    ]
    listed = http.get("/painel/lojas", headers={"cookie": jar}).body.decode()
    assert listed.count("nenhum registrado") == 1  # loja-a was seen, loja-b was not


def test_a_key_is_noted_as_seen_at_most_once_an_hour(http):
    """The first accepted request writes `last_seen_at` (one UpdateItem); later ones in
    this Lambda write nothing; a new Lambda reads the key and, seen within the hour,
    writes nothing either."""
    key_id = network.get_store(TENANT, STORE_ID).key_id
    secret = stores.rotate_store_secret(TENANT, STORE_ID)["secret"]
    with counting_dynamodb_calls() as first:
        assert me(http, key_id, secret) == 200
    seen = network.find_key(key_id).last_seen_at
    assert first.get("UpdateItem") == 1
    assert seen is not None
    assert abs(datetime.now(UTC) - seen) < timedelta(minutes=1)
    with counting_dynamodb_calls() as again:
        assert me(http, key_id, secret) == 200
    auth._SEEN.clear()
    auth.forget_key(key_id)
    with counting_dynamodb_calls() as cold:
        assert me(http, key_id, secret) == 200
    assert "UpdateItem" not in again
    assert "UpdateItem" not in cold
    assert cold["GetItem"] >= 1
    assert network.find_key(key_id).last_seen_at == seen


def test_the_seen_condition_writes_again_only_after_the_hour(aws):
    stores.create_tenant("t", "T")
    key_id = stores.add_store("t", "s", "S")["key_id"]
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert network.note_key_seen(key_id, at, at - hour)
    assert not network.note_key_seen(key_id, at + hour / 2, at - hour / 2)
    assert network.note_key_seen(key_id, at + 2 * hour, at + hour)
    assert network.find_key(key_id).last_seen_at == at + 2 * hour
    assert not network.note_key_seen("bk_" + "0" * 20, at, at - hour)  # no such key: no item
    rotated = stores.rotate_store_secret("t", "s")
    assert rotated["secrets_active"] == 2
    assert network.find_key(key_id).last_seen_at == at + 2 * hour  # the rotation keeps it
