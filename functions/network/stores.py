"""Tenants (redes), stores (lojas) and their POS credentials: what ops do with
`bemtevi tenant ...` and `bemtevi store ...`."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi import settings
from bemtevi.domain import network as rules
from bemtevi.security import sealing
from bemtevi.store import network
from functions.common.auth import forget_key, open_credentials, seal_credentials
from functions.common.tenancy import pepper_context


def create_tenant(tenant_id: str, name: str, timezone: str = settings.DEFAULT_TIMEZONE) -> dict:
    tenant_id = rules.valid_id(tenant_id, "id")
    name, timezone = rules.valid_name(name), rules.valid_timezone(timezone)
    pepper = sealing.seal(rules.new_pepper(), pepper_context(tenant_id))
    return tenant_view(network.create_tenant(tenant_id, name, timezone, pepper, _now()))


def add_store(tenant_id: str, store_id: str, name: str) -> dict:
    """Create a store with its credentials. The secret is returned here and never again."""
    rules.valid_id(tenant_id, "tenant")
    rules.valid_id(store_id, "id")
    name = rules.valid_name(name)
    key_id, secret = rules.new_key_id(), rules.new_secret()
    (sealed,), pepper = seal_credentials(tenant_id, store_id, key_id, [secret])
    store = network.add_store(tenant_id, store_id, name, key_id, sealed, pepper, _now())
    return {**store_view(store), "secret": secret}


def rename_store(tenant_id: str, store_id: str, name: str) -> dict:
    """Give a store a new name; its id, key and secrets stay as they are."""
    rules.valid_id(store_id, "id")
    name = rules.valid_name(name)
    return store_view(network.rename_store(tenant_id, store_id, name))


def list_stores(tenant_id: str) -> list[dict]:
    """The tenant's stores, each with how many secrets its key has (2 while a rotation
    is in progress) and when it last signed an accepted request (to the hour; None: not
    since this was recorded)."""
    network.get_tenant(tenant_id)
    found = network.list_stores(tenant_id)
    keys = network.store_keys([store.key_id for store in found]) if found else {}
    return [{**store_view(store), **_key_state(keys.get(store.key_id))} for store in found]


def _key_state(key: network.StoreKey | None) -> dict:
    seen = key.last_seen_at if key else None
    return {
        "secrets_active": len(key.secrets) if key else 0,
        "last_seen": seen.isoformat() if seen else None,
    }


def rotate_store_secret(tenant_id: str, store_id: str) -> dict:
    """Add a new secret; the old one keeps working until `retire_old_store_secret`."""
    store = network.get_store(tenant_id, store_id)
    key = _key_of(store)
    created_at = _now()
    versions = rules.after_rotation(
        [rules.SecretVersion(v, c) for v, c, _ in key.secrets], created_at
    )
    secret = rules.new_secret()
    _seal_again(key, [*_opened(key), (versions[-1].version, created_at, secret)])
    return {**store_view(store), "secret": secret, "secrets_active": len(versions)}


def reseal_store_key(tenant_id: str, store_id: str) -> dict:
    """Seal the key's secrets again, with a copy of the tenant's pepper, in one envelope:
    a key written before keys carried the pepper gets it (its cold requests then make one
    Decrypt), secrets unchanged."""
    store = network.get_store(tenant_id, store_id)
    key = _key_of(store)
    _seal_again(key, _opened(key))
    return {**store_view(store), "secrets_active": len(key.secrets)}


def _opened(key: network.StoreKey) -> list[tuple[int, datetime, str]]:
    secrets, _ = open_credentials(key)
    return [(v, c, secret) for (v, c, _), secret in zip(key.secrets, secrets, strict=True)]


def _seal_again(key: network.StoreKey, secrets: list[tuple[int, datetime, str]]) -> None:
    """Every secret of the key and the pepper under one new data key (rotation and
    re-sealing): the old envelopes go, so a cold request still makes one Decrypt."""
    clear = [secret for _, _, secret in secrets]
    sealed, pepper = seal_credentials(key.tenant_id, key.store_id, key.key_id, clear)
    versions = [(v, c, s) for (v, c, _), s in zip(secrets, sealed, strict=True)]
    network.save_secrets(key, versions, pepper)
    forget_key(key.key_id)


def retire_old_store_secret(tenant_id: str, store_id: str) -> dict:
    store = network.get_store(tenant_id, store_id)
    key = _key_of(store)
    current = network.sealed_secrets(key)
    kept = rules.after_retiring_old([rules.SecretVersion(v, c) for v, c, _ in current])
    kept_versions = {item.version for item in kept}
    network.save_secrets(key, [item for item in current if item[0] in kept_versions], key.pepper)
    forget_key(store.key_id)
    return {**store_view(store), "secrets_active": len(kept)}


def tenant_view(record: network.TenantProfile) -> dict:
    return {
        "id": record.tenant_id,
        "name": record.name,
        "timezone": record.timezone,
        "created_at": record.created_at.isoformat(),
    }


def store_view(record: network.Store) -> dict:
    return {
        "tenant": record.tenant_id,
        "id": record.store_id,
        "name": record.name,
        "key_id": record.key_id,
        "active": record.active,
        "created_at": record.created_at.isoformat(),
    }


def _key_of(store: network.Store) -> network.StoreKey:
    key = network.find_key(store.key_id)
    if key is None:
        raise RuntimeError(f"store {store.tenant_id}/{store.store_id} has no key record")
    return key


def _now() -> datetime:
    return datetime.now(UTC)


def store_profile(tenant_id: str, store_id: str, key_id: str) -> dict:
    """What a POS integrator sees at GET /v1/me: who its credentials act for."""
    tenant = network.get_tenant(tenant_id)
    store = network.get_store(tenant_id, store_id)
    return {
        "tenant": {"id": tenant.tenant_id, "name": tenant.name, "timezone": tenant.timezone},
        "store": {"id": store.store_id, "name": store.name},
        "key_id": key_id,
    }
