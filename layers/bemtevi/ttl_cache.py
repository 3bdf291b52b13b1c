"""A small per-process cache with a time limit, for what a warm Lambda may reuse for a
short while (store keys, a tenant's program): it keeps the hot path to the DynamoDB calls
that do the work."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class TtlCache(Generic[Value]):
    def __init__(self, seconds: Callable[[], float], max_entries: int = 4096) -> None:
        self._seconds = seconds
        self._max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Value]] = {}

    def get_or_load(self, key: Hashable, load: Callable[[], Value]) -> Value:
        now = time.monotonic()
        found = self._entries.get(key)
        if found is not None and now - found[0] < self._seconds():
            return found[1]
        value = load()
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[key] = (now, value)
        return value

    def age(self, key: Hashable) -> float:
        """Seconds since `key` was loaded; infinite when it is not cached."""
        found = self._entries.get(key)
        return float("inf") if found is None else time.monotonic() - found[0]

    def forget(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()
