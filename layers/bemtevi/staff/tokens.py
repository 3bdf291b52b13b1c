"""Verification of the staff pool's tokens with PyJWT against the pool's JWKS: the
signature (RS256, a key of the pool), the issuer, the app client (`aud`), `token_use`
and the expiry. The key set is fetched once per process and URL and cached by PyJWKClient
(an unknown `kid`, as after a key rotation, fetches it again)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jwt

from bemtevi import settings

REFRESH_AHEAD_SECONDS = 300
"""A token this close to its expiry is refreshed now rather than mid-visit."""


class InvalidToken(Exception):
    """Not a token of this pool and client: forged, tampered, for another pool or app."""


class ExpiredToken(InvalidToken):
    """A genuine token past its expiry: the session may still be refreshed."""


@cache
def _keys(jwks_url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(jwks_url, lifespan=3600, timeout=5)


def verify_id_token(token: str, leeway: float = 0) -> dict[str, Any]:
    """The claims of a valid ID token of the configured pool and client."""
    issuer = settings.cognito_issuer()
    try:
        key = _keys(settings.cognito_jwks_url()).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=settings.cognito_client_id(),
            issuer=issuer,
            leeway=leeway,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise ExpiredToken("expired") from error
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidToken(type(error).__name__) from error
    if claims.get("token_use") != "id":
        raise InvalidToken("not an id token")
    return claims


def due_for_refresh(claims: dict[str, Any], now: float) -> bool:
    return float(claims["exp"]) - now < REFRESH_AHEAD_SECONDS
