"""The dashboard's session: the pool's tokens in HttpOnly, SameSite=Strict cookies
(Secure unless the app is served over plain HTTP on this machine), verified on every
request and refreshed when expired or nearly so; a CSRF token for every form (double
submit: a random cookie the form must echo), and a check that a form came from this site."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from bemtevi import settings, web
from bemtevi.domain.staff import Manager, NotAManager, manager_from_claims
from bemtevi.observability import logger
from bemtevi.staff import StaffDirectory, StaffError, Tokens
from bemtevi.staff.tokens import ExpiredToken, InvalidToken, due_for_refresh, verify_id_token

ID_COOKIE = "painel_id"
ACCESS_COOKIE = "painel_acesso"
REFRESH_COOKIE = "painel_renovacao"
CSRF_COOKIE = "painel_csrf"
CSRF_FIELD = "csrf"
COOKIE_PATH = "/painel"
SESSION_SECONDS = 12 * 3600
"""As long as the app client's refresh tokens last."""


@dataclass(frozen=True)
class Visit:
    """What a dashboard request brings, as the web layer parsed it."""

    path: str = "/painel"
    cookies: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    source_ip: str = ""


@dataclass(frozen=True)
class Session:
    """Who is signed in (None: nobody, or a token that cannot be verified nor refreshed),
    and the cookies to set when the tokens were refreshed."""

    manager: Manager | None
    set_cookies: tuple[str, ...] = ()


def parse_cookies(header: str | None) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def secure_cookies() -> bool:
    """Secure everywhere but plain HTTP on this machine (the local stack, the tests)."""
    parts = urlsplit(settings.public_url())
    return not (
        parts.scheme == "http" and (parts.hostname or "") in {"127.0.0.1", "localhost", "::1"}
    )


def cookie(name: str, value: str, max_age: int = SESSION_SECONDS) -> str:
    attributes = [f"{name}={value}", f"Path={COOKIE_PATH}", f"Max-Age={max_age}", "HttpOnly"]
    attributes.append("SameSite=Strict")
    if secure_cookies():
        attributes.append("Secure")
    return "; ".join(attributes)


def session_cookies(tokens: Tokens) -> tuple[str, ...]:
    cookies = [cookie(ID_COOKIE, tokens.id_token), cookie(ACCESS_COOKIE, tokens.access_token)]
    if tokens.refresh_token:
        cookies.append(cookie(REFRESH_COOKIE, tokens.refresh_token))
    return tuple(cookies)


def cleared_cookies() -> tuple[str, ...]:
    return tuple(cookie(name, "", 0) for name in (ID_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE))


def current(cookies: Mapping[str, str], directory: StaffDirectory) -> Session:
    """The signed-in manager of a request, refreshing the tokens when they are due."""
    id_token = cookies.get(ID_COOKIE, "")
    if not id_token:
        return Session(None)
    try:
        claims = verify_id_token(id_token)
    except ExpiredToken:
        return _refreshed(cookies, directory)
    except InvalidToken as error:
        logger.info("dashboard token refused", extra={"reason": str(error)})
        return Session(None, cleared_cookies())
    if due_for_refresh(claims, time.time()):
        refreshed = _refreshed(cookies, directory)
        if refreshed.manager is not None:
            return refreshed
    return _as_manager(claims)


def _refreshed(cookies: Mapping[str, str], directory: StaffDirectory) -> Session:
    refresh_token = cookies.get(REFRESH_COOKIE, "")
    if not refresh_token:
        return Session(None, cleared_cookies())
    try:
        tokens = directory.refresh(refresh_token)
        claims = verify_id_token(tokens.id_token)
    except (StaffError, InvalidToken) as error:
        logger.info("dashboard session not refreshed", extra={"reason": type(error).__name__})
        return Session(None, cleared_cookies())
    found = _as_manager(claims)
    return Session(found.manager, session_cookies(tokens) if found.manager else cleared_cookies())


def _as_manager(claims: Mapping[str, object]) -> Session:
    try:
        return Session(manager_from_claims(claims))
    except NotAManager as error:
        logger.info("dashboard token without a manager", extra={"reason": str(error)})
        return Session(None, cleared_cookies())


def csrf_token(cookies: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    """The visitor's CSRF token, and the cookie to set when they had none."""
    token = cookies.get(CSRF_COOKIE, "")
    if len(token) >= 32:
        return token, ()
    token = secrets.token_urlsafe(32)
    return token, (cookie(CSRF_COOKIE, token),)


def form_is_genuine(visit: Visit) -> bool:
    """A state-changing form: it echoes the CSRF cookie and does not come from another site."""
    expected = visit.cookies.get(CSRF_COOKIE, "")
    given = visit.form.get(CSRF_FIELD, "")
    return (
        len(expected) >= 32
        and hmac.compare_digest(expected.encode(), given.encode())
        and web.from_this_site(visit.headers)
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a local dashboard path only (no open redirect)."""
    if not target or not target.startswith("/painel") or target.startswith("//"):
        return "/painel"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not parts.path.startswith("/painel"):
        return "/painel"
    if parts.path not in {"/painel"} and not parts.path.startswith("/painel/"):
        return "/painel"
    return target
