"""Authenticate a signed request from a POS: which tenant and store it acts for."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime

from bemtevi import aws, pending, settings
from bemtevi.errors import Unauthorized
from bemtevi.security import sealing, signing
from bemtevi.store import network
from bemtevi.ttl_cache import TtlCache
from functions.common import tenancy

_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_KEY_ID = re.compile(r"bk_[0-9a-f]{20}", re.ASCII)
# A key whose signature fails is read again once it has been cached this long, so a new
# secret works on its first request while a flood of bad signatures costs a read a second.
RELOAD_AFTER_SECONDS = 1.0
SEEN_EVERY_SECONDS = 3600
"""A key's "last seen" is written at most this often: no write per POS request."""
PEPPER_PURPOSE = {"purpose": "customer-id-pepper"}
"""What tells a key's copy of the pepper from its secrets inside their one envelope."""


@dataclass(frozen=True)
class StoreIdentity:
    """Who is calling: the tenant and store a verified key acts for."""

    tenant_id: str
    store_id: str
    key_id: str


@dataclass(frozen=True)
class SignedRequest:
    """What a signature covers: the request as the POS sent it, stage prefix removed."""

    headers: Mapping[str, str]
    method: str
    path: str
    query: Iterable[tuple[str, str]]
    body: bytes


Credential = tuple[StoreIdentity, list[str]]
_KEYS: TtlCache[Credential | None] = TtlCache(settings.config_cache_seconds)
_SEEN: dict[str, float] = {}
"""Per key id, when it was last recorded as seen, as far as this process knows."""


def authenticate(request: SignedRequest, now: float | None = None) -> StoreIdentity:
    """The store behind a request, from its key id; tenant and store never come from
    the body. Any refusal is a 401 before the body is even parsed.

    A warm Lambda reuses a key for settings.config_cache_seconds(); a signature that fails
    against a cached key reads the key again, so a rotated secret works at once, while a
    retired one stops working within the cache time."""
    key_id = _required(request.headers, signing.KEY_HEADER)
    timestamp = _required(request.headers, signing.TIMESTAMP_HEADER)
    offered = _required(request.headers, signing.SIGNATURE_HEADER)
    _check_fresh(timestamp, time.time() if now is None else now)
    message = signing.string_to_sign(
        timestamp,
        request.method,
        signing.canonical_path(request.path),
        signing.canonical_query(request.query),
        request.body,
    )
    if not _KEY_ID.fullmatch(key_id):
        raise Unauthorized("unknown_key", "Chave de acesso desconhecida.", signing.KEY_HEADER)
    credential = _KEYS.get_or_load(key_id, lambda: _load_credential(key_id))
    if not _signed_by(credential, message, offered) and _KEYS.age(key_id) >= RELOAD_AFTER_SECONDS:
        _KEYS.forget(key_id)
        credential = _KEYS.get_or_load(key_id, lambda: _load_credential(key_id))
    if credential is None:
        raise Unauthorized("unknown_key", "Chave de acesso desconhecida.", signing.KEY_HEADER)
    if not _signed_by(credential, message, offered):
        raise Unauthorized(
            "bad_signature",
            "Assinatura inválida: confira o segredo e o texto assinado (v2: timestamp, "
            "método, caminho, query e SHA-256 do corpo).",
            signing.SIGNATURE_HEADER,
        )
    _note_seen(key_id, time.time() if now is None else now)
    return credential[0]


def _note_seen(key_id: str, now: float) -> None:
    """Record the key as seen when its record says it was not in the last hour: one
    conditional UpdateItem per key per hour per Lambda at most (the condition stops
    concurrent Lambdas from writing it again). It runs beside the rest of the request,
    which waits for it before answering (bemtevi.pending)."""
    if now - _SEEN.get(key_id, 0.0) < SEEN_EVERY_SECONDS:
        return
    _SEEN[key_id] = now
    at = datetime.fromtimestamp(now, UTC)
    unless_since = datetime.fromtimestamp(now - SEEN_EVERY_SECONDS, UTC)
    pending.start("key-seen", lambda: network.note_key_seen(key_id, at, unless_since))


def forget_key(key_id: str) -> None:
    """Drop a cached key in this process (after a rotation made here)."""
    _KEYS.forget(key_id)


def key_context(tenant_id: str, store_id: str, key_id: str) -> dict[str, str]:
    """The KMS encryption context that binds a sealed secret to its store."""
    return {"tenant": tenant_id, "store": store_id, "key_id": key_id}


def seal_credentials(
    tenant_id: str, store_id: str, key_id: str, secrets: list[str]
) -> tuple[list[sealing.SealedSecret], sealing.SealedSecret]:
    """A key's secrets and a copy of its tenant's pepper in one envelope, for every write
    of a key (created, rotated, sealed again): a cold request opens both with one Decrypt
    right after reading the key, while its tenant is read (`_load_credential`)."""
    pepper = tenancy.opened_pepper(network.get_tenant(tenant_id)).decode("utf-8")
    *sealed, sealed_pepper = sealing.seal_together(
        [*((secret, {}) for secret in secrets), (pepper, PEPPER_PURPOSE)],
        key_context(tenant_id, store_id, key_id),
    )
    return sealed, sealed_pepper


def open_credentials(key: network.StoreKey) -> tuple[list[str], bytes | None]:
    """The key's secrets in clear, and its copy of the pepper (None on a key written
    before keys carried it)."""
    context = key_context(key.tenant_id, key.store_id, key.key_id)
    secrets = [sealing.open_sealed(sealed, context) for _, _, sealed in key.secrets]
    if key.pepper is None:
        return secrets, None
    return secrets, sealing.open_sealed(key.pepper, context, purpose=PEPPER_PURPOSE).encode()


def _signed_by(credential: Credential | None, message: str, offered: str) -> bool:
    return credential is not None and signing.matches_any(credential[1], message, offered)


def _load_credential(key_id: str) -> Credential | None:
    pending.start("open-ahead", _prepare_opening)
    key = network.find_key(key_id)
    if key is None:
        return None
    if key.last_seen_at is not None:
        _SEEN[key_id] = max(_SEEN.get(key_id, 0.0), key.last_seen_at.timestamp())
    # a key carrying the pepper hands it to its tenant's read: the tenant then waits for
    # no Decrypt of its own
    pepper: Future[bytes | None] | None = Future() if key.pepper is not None else None
    tenancy.prefetch(key.tenant_id, pepper)
    opened = None
    try:
        secrets, opened = open_credentials(key)
    finally:
        if pepper is not None:
            pepper.set_result(opened)
    return StoreIdentity(key.tenant_id, key.store_id, key_id), secrets


def _prepare_opening() -> None:
    """While the key's read waits for DynamoDB, get the secret's opening ready. The
    DynamoDB client comes first (clients are created one at a time): the read must not
    wait behind KMS's."""
    aws.client("dynamodb")
    sealing.prepare_opening()


def _required(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name) or headers.get(name.lower())
    if not value:
        raise Unauthorized("missing_signature", f"Cabeçalho {name} ausente.", name)
    return value


def _check_fresh(timestamp: str, now: float) -> None:
    if not _TIMESTAMP.fullmatch(timestamp):
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
