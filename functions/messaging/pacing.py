"""The client-side pace of sends, per process and channel: before each send, wait for the
channel's next slot (bemtevi.domain.messaging.next_send), so a big run stays under the
provider's rate instead of burning its retries on throttling. The clock and the sleep
are injectable: tests pass a fake pair and never sleep."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bemtevi.domain.messaging import Bucket, next_send


class Pacer:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str, per_second: float) -> float:
        """Sleep until a send on `channel` may go at `per_second`; returns the seconds
        slept. The slot is taken under the lock, the sleep is not."""
        with self._lock:
            now = self._clock()
            when, self._buckets[channel] = next_send(self._buckets.get(channel), per_second, now)
        delay = when - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)


PROCESS_PACER = Pacer()
