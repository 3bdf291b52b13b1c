"""schemathesis against the local stack: every operation of the contract, with generated
valid and invalid input, every request correctly signed. No 5xx, and no answer outside
the contract (status, content type, headers, body schema)."""

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bemtevi.contract import document
from bemtevi.security.signing import signed_headers
from tests.e2e.conftest import LocalStack, start_local_stack

pytestmark = pytest.mark.slow

# Methods the contract does not list are left out: in AWS, API Gateway answers them (403)
# before the app runs.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class SignedV2(requests.auth.AuthBase):
    """Signs the request as it will go out: final path, query and body bytes."""

    def __init__(self, store: dict) -> None:
        self.store = store

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers.update(
            signed_headers(
                self.store["key_id"], self.store["secret"], request.method, request.url, body
            )
        )
        return request


@pytest.fixture(scope="module")
def fuzzed_stack() -> Iterator[LocalStack]:
    """A stack of its own: generated sales must not touch the figures other tests check."""
    stack = start_local_stack()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def pos(fuzzed_stack: LocalStack) -> requests.Session:
    session = requests.Session()
    session.auth = SignedV2(fuzzed_stack.stores["centro"])
    return session


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_contract(case, fuzzed_stack, pos):
    response = case.call(base_url=fuzzed_stack.base_url, session=pos, timeout=30)
    case.validate_response(response, checks=CHECKS)
