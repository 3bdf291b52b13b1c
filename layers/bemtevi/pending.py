"""Work a request starts on a thread and waits for before it answers.

On Lambda the process is frozen as soon as the handler returns, so a thread still
running then would stop mid-call until the next invocation (or forever). What is started
here overlaps the rest of the request (its imports, its own AWS calls) and is joined by
`settle()`, which the app's middleware calls before answering. Failures are the work's
own business: it logs them, as nothing here may refuse the request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_lock = threading.Lock()
_running: list[threading.Thread] = []


def start(name: str, work: Callable[[], object]) -> None:
    thread = threading.Thread(target=work, name=name, daemon=True)
    with _lock:
        # outside a request (a script calling the functions) nothing settles: keep no
        # finished threads around
        _running[:] = [running for running in _running if running.is_alive()]
        _running.append(thread)
    thread.start()


def settle() -> None:
    """Wait for everything started so far (on any request's thread: `chalice local`
    serves requests on threads, and waiting for another's work only costs time)."""
    with _lock:
        running = list(_running)
        _running.clear()
    for thread in running:
        thread.join()
