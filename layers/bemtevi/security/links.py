"""Personal links to the customer portal. A message carries a short code (`/l/<code>`,
short enough for an SMS); the code leads to a signed, expiring token that names the
tenant and the customer. The signing key is derived from the tenant's pepper, so a
token of one tenant is worthless at another, and nothing about the customer is
readable in either."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

CODE_LENGTH = 10
_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


class InvalidLink(Exception):
    """A token that was forged, altered or cut."""


class ExpiredLink(Exception):
    """A genuine token past its time."""


@dataclass(frozen=True)
class PortalAccess:
    tenant_id: str
    customer_id: str
    expires_at: datetime


def short_code(pepper: bytes, message_key: str) -> str:
    """Deterministic per message, so that a retried send carries the same link."""
    digest = hmac.new(_key(pepper, b"link-code"), message_key.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def token_for(pepper: bytes, access: PortalAccess) -> str:
    claims = {
        "t": access.tenant_id,
        "c": access.customer_id,
        "e": int(access.expires_at.timestamp()),
    }
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{body}.{_signature(pepper, body)}"


def tenant_of(token: str) -> str:
    """The tenant a token claims, to find the key that verifies it; not yet trusted."""
    try:
        return str(_claims(token.split(".", 1)[0])["t"])
    except (ValueError, KeyError, TypeError):
        raise InvalidLink() from None


def verified(pepper: bytes, token: str, now: datetime | None = None) -> PortalAccess:
    body, _, signature = token.partition(".")
    if not signature or not hmac.compare_digest(signature, _signature(pepper, body)):
        raise InvalidLink()
    claims = _claims(body)
    access = PortalAccess(claims["t"], claims["c"], datetime.fromtimestamp(claims["e"], UTC))
    if (now or datetime.now(UTC)) >= access.expires_at:
        raise ExpiredLink()
    return access


def _claims(body: str) -> dict:
    try:
        return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, TypeError) as error:
        raise InvalidLink() from error


def _signature(pepper: bytes, body: str) -> str:
    return _b64(hmac.new(_key(pepper, b"portal-token"), body.encode(), hashlib.sha256).digest())


def _key(pepper: bytes, purpose: bytes) -> bytes:
    return hmac.new(pepper, b"bemtevi-links-v1:" + purpose, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
