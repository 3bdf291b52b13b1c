"""Secrets at rest under KMS envelope encryption.

Each secret, or each set of secrets sealed together, gets its own data key from KMS
(GenerateDataKey); the secret is sealed with AES-256-GCM under that key and only the
KMS-encrypted data key is kept. The encryption context (tenant, store, key id) binds a
sealed secret to its owner: copied onto another store's record, it does not open.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bemtevi import aws, settings

_OPENED_DATA_KEYS: dict[bytes, bytes] = {}
_MAX_CACHED_KEYS = 1024


@dataclass(frozen=True)
class SealedSecret:
    encrypted_data_key: bytes
    nonce: bytes
    ciphertext: bytes


def seal(secret: str, context: dict[str, str], kms: Any = None) -> SealedSecret:
    return seal_together([(secret, {})], context, kms)[0]


def seal_together(
    parts: Sequence[tuple[str, Mapping[str, str]]], context: dict[str, str], kms: Any = None
) -> list[SealedSecret]:
    """Several secrets in one envelope: one data key (one GenerateDataKey), so one Decrypt
    opens them all. Each part is `(secret, purpose)`: its associated data is `context`
    plus its own purpose, so no part opens as another (`open_sealed(..., purpose)`)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kms = kms or aws.client("kms")
    data_key = kms.generate_data_key(
        KeyId=settings.kms_key_id(), KeySpec="AES_256", EncryptionContext=context
    )
    cipher = AESGCM(data_key["Plaintext"])
    sealed = []
    for secret, purpose in parts:
        nonce = os.urandom(12)
        associated = _associated_data({**context, **purpose})
        ciphertext = cipher.encrypt(nonce, secret.encode("utf-8"), associated)
        sealed.append(SealedSecret(data_key["CiphertextBlob"], nonce, ciphertext))
    return sealed


def open_sealed(
    sealed: SealedSecret,
    context: dict[str, str],
    kms: Any = None,
    purpose: Mapping[str, str] | None = None,
) -> str:
    """The secret in clear. Data keys are cached for the life of the process (they never
    change for a given sealed secret), so a warm Lambda asks KMS once per envelope.
    `purpose`: what `seal_together` sealed the part with (KMS only sees `context`)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = _OPENED_DATA_KEYS.get(sealed.encrypted_data_key)
    if data_key is None:
        kms = kms or aws.client("kms")
        data_key = kms.decrypt(CiphertextBlob=sealed.encrypted_data_key, EncryptionContext=context)[
            "Plaintext"
        ]
        if len(_OPENED_DATA_KEYS) >= _MAX_CACHED_KEYS:
            _OPENED_DATA_KEYS.clear()
        _OPENED_DATA_KEYS[sealed.encrypted_data_key] = data_key
    associated = _associated_data({**context, **(purpose or {})})
    clear = AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, associated)
    return clear.decode("utf-8")


def prepare_opening() -> None:
    """Load what a first `open_sealed` needs (AES-GCM, the KMS client) ahead of it: a cold
    request does it on a thread while its first read is on the wire."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401

    aws.client("kms")


def _associated_data(context: dict[str, str]) -> bytes:
    return "|".join(f"{name}={context[name]}" for name in sorted(context)).encode("utf-8")
