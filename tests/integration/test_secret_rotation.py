"""`bemtevi store rotate-secret`: both secrets sign until the old one is retired."""

import pytest

from bemtevi.errors import Conflict
from functions.network import stores
from tests.integration.conftest import signed


def test_both_secrets_work_during_rotation_and_the_old_stops_after_retire(api, store):
    old = store["secret"]
    rotated = stores.rotate_store_secret("rede-teste", "loja-1")
    new = rotated["secret"]
    assert new != old
    assert rotated["key_id"] == store["key_id"]
    assert rotated["secrets_active"] == 2

    for secrets in (old, new, [old, new], [new, old]):
        assert api.get("/v1/me", **signed(store, secrets=secrets)).status_code == 200

    assert stores.retire_old_store_secret("rede-teste", "loja-1")["secrets_active"] == 1

    assert api.get("/v1/me", **signed(store, secrets=old)).status_code == 401
    assert api.get("/v1/me", **signed(store, secrets=new)).status_code == 200
    # a POS still sending both during the switch keeps working on the new one
    assert api.get("/v1/me", **signed(store, secrets=[old, new])).status_code == 200


def test_a_second_rotation_waits_for_the_first_to_be_retired(store):
    stores.rotate_store_secret("rede-teste", "loja-1")
    with pytest.raises(Conflict) as refused:
        stores.rotate_store_secret("rede-teste", "loja-1")
    assert refused.value.code == "rotation_in_progress"


def test_nothing_to_retire_without_a_rotation(store):
    with pytest.raises(Conflict) as refused:
        stores.retire_old_store_secret("rede-teste", "loja-1")
    assert refused.value.code == "no_rotation_in_progress"


def test_secrets_are_not_stored_in_clear(store):
    from bemtevi.store.models import StoreKeyRecord

    item = StoreKeyRecord._get_connection().get_item(*StoreKeyRecord.keys(store["key_id"]))
    assert store["secret"].encode() not in repr(item).encode()
    assert store["secret"][3:] not in repr(item)


def test_a_rotated_key_opens_both_secrets_and_the_pepper_with_one_decrypt(api, store):
    """Rotation seals the old secret, the new one and the tenant's pepper again under one
    data key: a new Lambda opens the key with one Decrypt even mid-rotation."""
    from bemtevi import aws
    from bemtevi.security import sealing
    from bemtevi.store import network
    from functions.common import auth, tenancy

    new = stores.rotate_store_secret("rede-teste", "loja-1")["secret"]
    key = network.find_key(store["key_id"])
    envelopes = {sealed.encrypted_data_key for _, _, sealed in key.secrets}
    assert envelopes == {key.pepper.encrypted_data_key}
    sealing._OPENED_DATA_KEYS.clear()
    decrypts: list[str] = []

    def hook(**_) -> None:
        decrypts.append("Decrypt")

    events = aws.client("kms").meta.events
    events.register("before-call.kms.Decrypt", hook)
    try:
        secrets, pepper = auth.open_credentials(key)
    finally:
        events.unregister("before-call.kms.Decrypt", hook)
    assert secrets == [store["secret"], new]
    assert decrypts == ["Decrypt"]
    assert pepper == tenancy.tenant("rede-teste").pepper
    assert stores.retire_old_store_secret("rede-teste", "loja-1")["secrets_active"] == 1
    assert network.find_key(store["key_id"]).pepper == key.pepper
    assert api.get("/v1/me", **signed(store, secrets=new)).status_code == 200


def test_the_keys_copy_of_the_pepper_is_not_stored_in_clear(store):
    from bemtevi.store.models import StoreKeyRecord
    from functions.common import tenancy

    pepper = tenancy.tenant("rede-teste").pepper
    item = StoreKeyRecord._get_connection().get_item(*StoreKeyRecord.keys(store["key_id"]))
    assert "pepper" in item["Item"]
    assert pepper not in repr(item).encode()
    assert pepper.decode() not in repr(item)
