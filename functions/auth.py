"""Authenticate a signed request from a POS: which tenant and store it acts for."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from bemtevi import settings
from bemtevi.errors import Unauthorized
from bemtevi.security import sealing, signing
from bemtevi.store import network
from bemtevi.ttl_cache import TtlCache


@dataclass(frozen=True)
class StoreIdentity:
    """Who is calling: the tenant and store a verified key acts for."""

    tenant_id: str
    store_id: str
    key_id: str


Credential = tuple[StoreIdentity, list[str]]
_KEYS: TtlCache[Credential | None] = TtlCache(settings.config_cache_seconds)


def authenticate(
    headers: Mapping[str, str], raw_body: bytes, now: float | None = None
) -> StoreIdentity:
    """The store behind a request, from its key id; tenant and store never come from
    the body. Any refusal is a 401 before the body is even parsed.

    A warm Lambda reuses a key for settings.config_cache_seconds(), so a retired secret
    stops working within that time."""
    key_id = _required(headers, signing.KEY_HEADER)
    timestamp = _required(headers, signing.TIMESTAMP_HEADER)
    offered = _required(headers, signing.SIGNATURE_HEADER)
    _check_fresh(timestamp, time.time() if now is None else now)
    credential = _KEYS.get_or_load(key_id, lambda: _load_credential(key_id))
    if credential is None:
        raise Unauthorized("unknown_key", "Chave de acesso desconhecida.", signing.KEY_HEADER)
    identity, secrets = credential
    if not signing.matches_any(secrets, timestamp, raw_body, offered):
        raise Unauthorized(
            "bad_signature",
            "Assinatura inválida: confira o segredo e assine timestamp + '.' + corpo.",
            signing.SIGNATURE_HEADER,
        )
    return identity


def forget_key(key_id: str) -> None:
    """Drop a cached key in this process (after a rotation made here)."""
    _KEYS.forget(key_id)


def key_context(tenant_id: str, store_id: str, key_id: str) -> dict[str, str]:
    """The KMS encryption context that binds a sealed secret to its store."""
    return {"tenant": tenant_id, "store": store_id, "key_id": key_id}


def _load_credential(key_id: str) -> Credential | None:
    key = network.find_key(key_id)
    if key is None:
        return None
    context = key_context(key.tenant_id, key.store_id, key_id)
    secrets = [sealing.open_sealed(sealed, context) for _, _, sealed in network.sealed_secrets(key)]
    return StoreIdentity(key.tenant_id, key.store_id, key_id), secrets


def _required(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name) or headers.get(name.lower())
    if not value:
        raise Unauthorized("missing_signature", f"Cabeçalho {name} ausente.", name)
    return value


def _check_fresh(timestamp: str, now: float) -> None:
    if not timestamp.isdigit():
        raise Unauthorized(
            "invalid_timestamp",
            "Timestamp inválido: use segundos desde 1970 (unix).",
            signing.TIMESTAMP_HEADER,
        )
    if abs(int(timestamp) - now) > settings.SIGNATURE_TOLERANCE_SECONDS:
        raise Unauthorized(
            "stale_timestamp",
            "Timestamp fora da janela de 300 segundos: acerte o relógio do PDV.",
            signing.TIMESTAMP_HEADER,
        )
