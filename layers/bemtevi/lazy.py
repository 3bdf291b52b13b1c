"""Modules loaded on first use: a Lambda serving every route pays at cold start only for
what its first request needs (bench/import_time.py measures it). Thread-safe, for
`chalice local`, which serves requests on threads."""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any


class LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None
        self._lock = threading.Lock()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._loaded(), attribute)

    def load_ahead(self) -> None:
        """Start importing the module on a thread, so that it loads while the caller
        waits on the network (a cold request authenticating); the first attribute read
        waits for it. Only for modules the caller has not started importing itself."""
        if self._module is None:
            threading.Thread(target=self._loaded, name=f"load {self._name}", daemon=True).start()

    def _loaded(self) -> ModuleType:
        module = self._module
        if module is None:
            with self._lock:
                if self._module is None:
                    self._module = importlib.import_module(self._name)
                module = self._module
        return module


def lazy_module(name: str) -> Any:
    return LazyModule(name)
