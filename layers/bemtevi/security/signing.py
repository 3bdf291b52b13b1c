"""Signed requests from POS systems: HMAC-SHA256 over `timestamp + "." + raw body`.

This file uses only the standard library so that integrators can copy it into a POS
plug-in as it is. Run it as a script to send a signed request:

    python signing.py --key KEY_ID --secret SECRET GET http://127.0.0.1:8000/v1/me
    python signing.py --key KEY_ID --secret SECRET POST URL --data events/sale.json

Headers sent with every `/v1` call:
    X-Bemtevi-Key:        the store's key id
    X-Bemtevi-Timestamp:  unix seconds; more than 300 s off the server's clock is refused
    X-Bemtevi-Signature:  v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>; during a
                          secret rotation, several comma-separated `v1=` values are allowed
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from typing import Any

KEY_HEADER = "X-Bemtevi-Key"
TIMESTAMP_HEADER = "X-Bemtevi-Timestamp"
SIGNATURE_HEADER = "X-Bemtevi-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(
    key_id: str, secrets: str | Iterable[str], body: bytes, now: float | None = None
) -> dict[str, str]:
    """Headers for one request; pass both secrets while a rotation is under way."""
    timestamp = str(int(time.time() if now is None else now))
    if isinstance(secrets, str):
        secrets = [secrets]
    value = ",".join(f"{SCHEME}={signature(secret, timestamp, body)}" for secret in secrets)
    return {KEY_HEADER: key_id, TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: value}


def signatures_in(header: str) -> list[str]:
    """The `v1` signatures of a header value; other schemes are ignored."""
    found = []
    for part in header.split(","):
        scheme, _, value = part.strip().partition("=")
        if scheme == SCHEME and value:
            found.append(value.strip().lower())
    return found


def matches_any(secrets: Iterable[str], timestamp: str, body: bytes, header: str) -> bool:
    """True when one offered signature is right for one of the secrets (constant time)."""
    offered = signatures_in(header)
    matched = False
    for secret in secrets:
        expected = signature(secret, timestamp, body)
        for candidate in offered:
            matched |= hmac.compare_digest(expected, candidate)
    return matched


def _send(arguments: Any) -> int:
    import urllib.error
    import urllib.request

    body = b""
    if arguments.data:
        with open(arguments.data, "rb") as payload:
            body = payload.read()
    headers = signed_headers(arguments.key, arguments.secret, body)
    if body:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(  # noqa: S310 - the integrator names the URL
        arguments.url, data=body or None, headers=headers, method=arguments.method
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
