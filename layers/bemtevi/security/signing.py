"""Signed requests from POS systems: HMAC-SHA256 over the method, path, query, timestamp
and a hash of the raw body, so a captured request cannot be replayed anywhere else.

This file uses only the standard library so that integrators can copy it into a POS
plug-in as it is. Run it as a script to send a signed request:

    python signing.py --key KEY_ID --secret SECRET GET http://127.0.0.1:8000/v1/me
    python signing.py --key KEY_ID --secret SECRET POST URL --data events/sale.json

Headers sent with every `/v1` call:
    X-Bemtevi-Key:        the store's key id
    X-Bemtevi-Timestamp:  unix seconds; more than 300 s off the server's clock is refused
    X-Bemtevi-Signature:  v2=<hex HMAC-SHA256(secret, string to sign)>; during a secret
                          rotation, several comma-separated `v2=` values are allowed

The string to sign is six lines joined by "\\n":

    v2
    <timestamp>
    <METHOD, upper case>
    <path without any stage prefix, e.g. /v1/sales/PDV-1/cancel>
    <query: name=value pairs sorted by name then value, joined with &; empty if none>
    <hex SHA-256 of the raw body (of the empty string when there is no body)>

Path segments, query names and values are percent-encoded per RFC 3986: every byte of
their UTF-8 form is written as %XX (upper-case hex) except the unreserved characters
A-Z a-z 0-9 - _ . ~. A path segment is decoded first, so `PDV%2D1` and `PDV-1` sign alike.
Send a space in the query as %20, never as +.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

KEY_HEADER = "X-Bemtevi-Key"
TIMESTAMP_HEADER = "X-Bemtevi-Timestamp"
SIGNATURE_HEADER = "X-Bemtevi-Signature"
SCHEME = "v2"
API_PREFIX = "/v1"
_UNRESERVED = "-_.~"


def canonical_path(path: str) -> str:
    """Each segment decoded, then percent-encoded per RFC 3986."""
    return "/".join(quote(unquote(segment), safe=_UNRESERVED) for segment in path.split("/"))


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """`name=value` pairs, encoded per RFC 3986, sorted by name then value, joined by &."""
    encoded = sorted(
        (quote(name, safe=_UNRESERVED), quote(value, safe=_UNRESERVED)) for name, value in pairs
    )
    return "&".join(f"{name}={value}" for name, value in encoded)


def string_to_sign(timestamp: str, method: str, path: str, query: str, body: bytes) -> str:
    """The message an HMAC covers; `path` and `query` already canonical."""
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join((SCHEME, timestamp, method.upper(), path, query, body_hash))


def signature(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def api_target(target: str) -> tuple[str, str]:
    """The canonical path and query of a URL or of a path with its query string.

    A URL's path is taken from its `/v1` segment on, so a stage prefix
    (`https://.../api/v1/me`) is not signed."""
    parts = urlsplit(target)
    path = parts.path
    start = path.find(API_PREFIX + "/")
    if start < 0 and path.endswith(API_PREFIX):
        start = len(path) - len(API_PREFIX)
    if start > 0:
        path = path[start:]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return canonical_path(path or "/"), canonical_query(pairs)


def signed_headers(
    key_id: str,
    secrets: str | Iterable[str],
    method: str,
    target: str,
    body: bytes = b"",
    now: float | None = None,
) -> dict[str, str]:
    """Headers for one request to `target` (a URL, or a path with its query string); pass
    both secrets while a rotation is under way."""
    timestamp = str(int(time.time() if now is None else now))
    path, query = api_target(target)
    message = string_to_sign(timestamp, method, path, query, body)
    if isinstance(secrets, str):
        secrets = [secrets]
    value = ",".join(f"{SCHEME}={signature(secret, message)}" for secret in secrets)
    return {KEY_HEADER: key_id, TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: value}


def signatures_in(header: str) -> list[str]:
    """The `v2` signatures of a header value; other schemes are ignored."""
    found = []
    for part in header.split(","):
        scheme, _, value = part.strip().partition("=")
        if scheme == SCHEME and value:
            found.append(value.strip().lower())
    return found


def matches_any(secrets: Iterable[str], message: str, header: str) -> bool:
    """True when one offered signature is right for one of the secrets (constant time)."""
    offered = [candidate.encode("utf-8", "replace") for candidate in signatures_in(header)]
    matched = False
    for secret in secrets:
        expected = signature(secret, message).encode("ascii")
        for candidate in offered:
            matched |= hmac.compare_digest(expected, candidate)
    return matched


def _send(arguments: Any) -> int:
    import urllib.error
    import urllib.request

    body = b""
    if arguments.data:
        with open(arguments.data, "rb") as data_file:
            body = data_file.read()
    method = arguments.method.upper()
    headers = signed_headers(arguments.key, arguments.secret, method, arguments.url, body)
    if body:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(  # noqa: S310 - the integrator names the URL
        arguments.url, data=body or None, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    print(status)
    print(payload.decode("utf-8"))
    return 0 if status < 400 else 1


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Send a signed request to bemtevi.")
    parser.add_argument("--key", required=True, help="the store's key id")
    parser.add_argument(
        "--secret", required=True, action="append", help="secret (twice while rotating)"
    )
    parser.add_argument("--data", help="file with the JSON body")
    parser.add_argument("method")
    parser.add_argument("url")
    return _send(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
