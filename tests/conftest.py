"""Test environment: a moto server on loopback is the AWS of every test that needs one.

The environment is set before anything imports boto3 or the models, so table names and
endpoints are the test stage's. Integration tests ask for the `aws` fixture, which gives
them freshly reset AWS with the tables, KMS key and queue created.
"""

import os
import socket
from collections.abc import Iterator

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


AWS_ENDPOINT = f"http://127.0.0.1:{_free_port()}"
TEST_ENVIRONMENT = {
    "AWS_ENDPOINT_URL": AWS_ENDPOINT,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "sa-east-1",
    "BEMTEVI_STAGE": "test",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
}
os.environ.update(TEST_ENVIRONMENT)
for leaked in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
    os.environ.pop(leaked, None)


@pytest.fixture(scope="session")
def aws_server() -> Iterator[str]:
    from infra.emulator import EmulatedAws

    host, port = AWS_ENDPOINT.removeprefix("http://").split(":")
    server = EmulatedAws(host, int(port))
    server.start()
    yield AWS_ENDPOINT
    server.stop()


@pytest.fixture
def aws(aws_server: str) -> str:
    """A clean emulated AWS account with bemtevi's stateful resources."""
    import requests

    from functions import auth, tenancy
    from infra.bootstrap import bootstrap

    requests.post(f"{aws_server}/moto-api/reset", timeout=10).raise_for_status()
    auth._KEYS.clear()
    tenancy._TENANTS.clear()
    bootstrap()
    return aws_server
