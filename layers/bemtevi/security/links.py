"""Personal links to the customer portal. A message carries a short code (`/l/<code>`,
short enough for an SMS); the code leads to a signed, expiring token that names the
tenant and the customer. The signing key is derived from the tenant's pepper, so a
token of one tenant is worthless at another, and nothing about the customer is
readable in either.

Codes and tokens arrive from URLs: anything that is not plain ASCII of their alphabet is
refused as an invalid link before it reaches a comparison or a key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bemtevi.domain.network import valid_id
from bemtevi.errors import InvalidInput

CODE_LENGTH = 10
_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_CODE = re.compile(r"[A-Za-z0-9]{1,20}")
# base64url claims, a dot, and the base64url of a SHA-256 HMAC (43 characters).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{43}")


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


def is_code(code: str) -> bool:
    """Whether `code` could be a short code at all (ASCII letters and digits, short)."""
    return _CODE.fullmatch(code) is not None


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
    _check_shape(token)
    try:
        return valid_id(_claims(token.split(".", 1)[0])["t"], "t")
    except (InvalidInput, KeyError, TypeError):
        raise InvalidLink() from None


def verified(pepper: bytes, token: str, now: datetime | None = None) -> PortalAccess:
    _check_shape(token)
    body, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _signature(pepper, body)):
        raise InvalidLink()
    claims = _claims(body)
    access = PortalAccess(claims["t"], claims["c"], datetime.fromtimestamp(claims["e"], UTC))
    if (now or datetime.now(UTC)) >= access.expires_at:
        raise ExpiredLink()
    return access


def form_token(pepper: bytes, token: str) -> str:
    """The hidden field of the portal's form: only a page rendered for `token` carries
    it, so a form posted from another site is refused."""
    return _b64(hmac.new(_key(pepper, b"portal-form"), token.encode(), hashlib.sha256).digest())


def form_token_matches(pepper: bytes, token: str, given: str) -> bool:
    return given.isascii() and hmac.compare_digest(given, form_token(pepper, token))


def _check_shape(token: str) -> None:
    if _TOKEN.fullmatch(token) is None:
        raise InvalidLink()


def _claims(body: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, TypeError) as error:
        raise InvalidLink() from error
    return claims


def _signature(pepper: bytes, body: str) -> str:
    return _b64(hmac.new(_key(pepper, b"portal-token"), body.encode(), hashlib.sha256).digest())


def _key(pepper: bytes, purpose: bytes) -> bytes:
    return hmac.new(pepper, b"bemtevi-links-v1:" + purpose, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
