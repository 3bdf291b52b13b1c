"""Read, decide, write on condition; when a race is lost, read again. Every write path
(sales, returns, redemptions, customers) goes through `until_written`."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from bemtevi.errors import BemteviError
from bemtevi.store.transactions import AlreadyRecorded, Contention

MAX_ATTEMPTS = 10
Result = TypeVar("Result")


class Busy(BemteviError):
    status = 503


def until_written(attempt: Callable[[], Result]) -> Result:
    """Run `attempt` (read, decide, commit) until it commits or answers from what it
    read. A lost race backs off with jitter; a duplicate delivery that won meanwhile is
    read again at once, to answer as it did."""
    for attempt_number in range(MAX_ATTEMPTS):
        try:
            return attempt()
        except AlreadyRecorded:
            continue
        except Contention:
            back_off(attempt_number)
    raise Busy("busy", "Muitas atualizações simultâneas; tente de novo em instantes.", None)


def back_off(attempt_number: int) -> None:
    """Jittered exponential pause before reading again after losing a race."""
    time.sleep(random.uniform(0, min(0.4, 0.01 * 2**attempt_number)))
