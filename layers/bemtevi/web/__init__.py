"""HTML pages for customers (the portal), rendered with Jinja2 with autoescape."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bemtevi import settings

SECURITY_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # a new random id per rendering, for a form that must not be applied twice
    environment.globals["novo_id"] = lambda: secrets.token_urlsafe(16)
    return environment


def page(name: str, **context: object) -> str:
    return _environment().get_template(name).render(**context)


def from_this_site(headers: Mapping[str, str]) -> bool:
    """A form's page as the browser names it, in `Origin` (`null` when the page's referrer
    policy hides it, as ours does) or else in `Referer`: another site named there is
    refused, and so is a request the browser itself marks as cross-site (`Sec-Fetch-Site`),
    which a page that hides its own origin cannot forge. (Lower-case header names.)"""
    if headers.get("sec-fetch-site") == "cross-site":
        return False
    source = headers.get("origin") or headers.get("referer")
    if not source or source == "null":
        return True
    return _origin(source) == _origin(settings.public_url())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
