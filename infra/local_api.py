"""`chalice local` whose access lines hide the bearer part of portal paths: the HTTP
server prints each request line, and `/portal/<token>` or `/l/<code>` in a terminal or a
CI log would open that customer's portal. Takes `chalice`'s own arguments."""

from __future__ import annotations

import sys

from chalice import local
from chalice.cli import main

from bemtevi.observability import mask_paths

_log_message = local.ChaliceRequestHandler.log_message


def _masked_log_message(self: local.ChaliceRequestHandler, fmt: str, *args: object) -> None:
    _log_message(self, "%s", mask_paths(fmt % args))


local.ChaliceRequestHandler.log_message = _masked_log_message

if __name__ == "__main__":
    sys.exit(main())
