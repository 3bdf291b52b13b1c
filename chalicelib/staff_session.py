"""The dashboard's sign-in guard for the wiring layer: `@signed_in(roles)` under
`@painel.route(...)` verifies the session on every request and calls the view with the
`Manager` first. Signed out, or a token that is invalid or expired and cannot be
refreshed: 302 to /painel/entrar (coming back here after). A role not in `roles`: 403.
Views answer 404 for another tenant's object themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

from chalice import Response
from chalice.app import Request

from bemtevi.domain.staff import Role
from bemtevi.lazy import lazy_module
from chalicelib.answers import page

session = lazy_module("functions.dashboard.session")
signin = lazy_module("functions.dashboard.signin")
pages = lazy_module("functions.dashboard.pages")
users = lazy_module("functions.dashboard.users")

ROLES_ATTRIBUTE = "painel_roles"
"""Set on every guarded view: the authorisation test reads it to know what to expect."""


def current_request() -> Request:
    from chalicelib.dashboard import painel

    return painel.current_request


def visit() -> Any:
    """The request as the dashboard's functions read it (`functions.dashboard.session.Visit`)."""
    request = current_request()
    headers: Mapping[str, str] = request.headers
    body = (request.raw_body or b"") if request.method == "POST" else b""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    form = dict(parse_qsl(text, keep_blank_values=True))
    identity = request.context.get("identity") or {}
    return session.Visit(
        path=request.path,
        cookies=session.parse_cookies(headers.get("cookie")),
        form=form,
        query=dict(request.query_params or {}),
        headers={key.lower(): value for key, value in headers.items()},
        source_ip=str(identity.get("sourceIp") or ""),
    )


def signed_in(roles: frozenset[Role]) -> Callable:
    def wrap(view: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Response:
            request = current_request()
            found = session.current(
                session.parse_cookies(request.headers.get("cookie")), users.directory()
            )
            if found.manager is None:
                response = page(signin.to_sign_in(_path_of(request)))
            elif found.manager.role not in roles:
                response = page(pages.forbidden(found.manager))
            else:
                response = view(found.manager, *args, **kwargs)
            return _with_cookies(response, found.set_cookies)

        setattr(guarded, ROLES_ATTRIBUTE, roles)
        return guarded

    return wrap


def _path_of(request: Request) -> str:
    """The path a signed-out visitor asked for (GET only: a form is not replayed)."""
    return request.path if request.method == "GET" else "/painel"


def _with_cookies(response: Response, cookies: tuple[str, ...]) -> Response:
    if not cookies:
        return response
    existing = response.headers.get("Set-Cookie", [])
    merged = [*([existing] if isinstance(existing, str) else existing), *cookies]
    response.headers["Set-Cookie"] = merged
    return response
