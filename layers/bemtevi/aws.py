"""AWS clients: one botocore session per process and one client per service (and per
retry policy), created on first use and shared by our code and the PynamoDB models
(bemtevi.store.connection). Configured only by the standard AWS environment
(AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, credentials).

Every extra session loads its own copy of the endpoint and service models, and every
client its own: at cold start that was most of a first request. The clients are
botocore's (the same a boto3 client wraps), so a cold start does not import boto3 and
its S3 transfer machinery; code that wants boto3 can wrap `session()` with
`boto3.session.Session(botocore_session=...)`. Clients are thread-safe; creating them is
not, hence the lock.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.RLock()
_session: Any = None
_clients: dict[tuple[str, str], Any] = {}

# DynamoDB as PynamoDB configures it (its default settings: timeouts, 3 retries on top of
# the first attempt, no client-side parameter validation), since its models use this client.
_DYNAMODB = {
    "connect_timeout": 15,
    "read_timeout": 30,
    "max_pool_connections": 10,
    "parameter_validation": False,
    "retries": {"total_max_attempts": 4, "mode": "standard"},
}


def session() -> Any:
    """The process's one botocore session."""
    global _session
    if _session is None:
        with _lock:
            if _session is None:
                from botocore.session import get_session

                _session = get_session()
    return _session


def client(service: str) -> Any:
    return _client(service, "default")


def client_without_retries(service: str) -> Any:
    """For sends that must not be repeated blindly (SMS, e-mail, WhatsApp): botocore
    would resend after a timeout the provider may already have acted on."""
    return _client(service, "no_retries")


def _client(service: str, policy: str) -> Any:
    key = (service, policy)
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = session().create_client(service, config=_config(service, policy))
                _clients[key] = found
    return found


def _config(service: str, policy: str) -> Any:
    from botocore.config import Config

    if policy == "no_retries":
        return Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return Config(**_DYNAMODB) if service == "dynamodb" else None


def created_clients() -> int:
    """How many clients this process holds (tests and benchmarks check it stays small)."""
    return len(_clients)


def forget_clients() -> None:
    """Drop the session and its clients, as a new Lambda starts without them (tests that
    move AWS_ENDPOINT_URL)."""
    global _session
    with _lock:
        _clients.clear()
        _session = None
