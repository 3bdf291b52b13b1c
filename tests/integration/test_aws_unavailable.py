"""AWS that does not answer (the endpoint refuses connections, or closes them without a
word): every /v1 route answers 503 in the error envelope, logged once per request;
/health answers 503 "degraded" as before."""

import io
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, ReadTimeoutError
from pynamodb.exceptions import GetError, TransactWriteError
from pynamodb.models import Model

from bemtevi import aws as aws_clients
from bemtevi.errors import unavailable_backend
from bemtevi.observability import logger
from bemtevi.store.models import TABLES
from tests.integration.conftest import signed

UNAVAILABLE = {
    "error": {
        "code": "service_unavailable",
        "message": "Serviço temporariamente indisponível; tente novamente em instantes.",
        "field": None,
    }
}
SALE = {
    "sale_id": "v-1",
    "occurred_at": "2026-11-20T15:30:00-03:00",
    "total": 10000,
    "customer": {"cpf": "52998224725", "name": "Maria"},
}


def _fresh_connections() -> None:
    """Forget the clients made for the previous endpoint: the next call makes new ones
    from AWS_ENDPOINT_URL, as a new Lambda would."""
    models = [*TABLES.values()]
    for root in TABLES.values():
        discriminator = root._get_discriminator_attribute()
        if discriminator is not None:
            models += discriminator.get_registered_subclasses(Model)
    for model in models:
        model._connection = None
    aws_clients.forget_clients()


def _closing_listener() -> Iterator[str]:
    """An endpoint that accepts connections and closes them without answering."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    server.close()


def _refusing_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield f"http://127.0.0.1:{port}"  # nothing listens here any more


@pytest.fixture(params=["refused", "closed"])
def aws_down(request, store, monkeypatch) -> Iterator[None]:
    """The store exists; then AWS stops answering."""
    endpoints = _refusing_endpoint() if request.param == "refused" else _closing_listener()
    monkeypatch.setenv("AWS_ENDPOINT_URL", next(endpoints))
    _fresh_connections()
    yield
    monkeypatch.undo()
    _fresh_connections()
    endpoints.close()


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    handler = logger.registered_handler
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_sale_with_aws_down_answers_503_in_the_envelope(api, store, aws_down, logs):
    response = api.post("/v1/sales", **signed(store, SALE, method="POST", path="/v1/sales"))
    assert response.status_code == 503
    assert response.json_body == UNAVAILABLE
    messages = [json.loads(line)["message"] for line in logs.getvalue().splitlines()]
    assert messages.count("aws unavailable") == 1
    assert not any("exception" in json.loads(line) for line in logs.getvalue().splitlines())


def test_every_v1_route_with_aws_down_answers_503(api, store, aws_down):
    for method, path, body in [
        ("get", "/v1/me", None),
        ("post", "/v1/balance", {"customer": {"cpf": "52998224725"}}),
        ("get", "/v1/metrics", None),
    ]:
        arguments = signed(store, body, method=method.upper(), path=path)
        response = getattr(api, method)(path, **arguments)
        assert (path, response.status_code, response.json_body) == (path, 503, UNAVAILABLE)


def test_health_with_aws_down_is_degraded(api, aws_down):
    response = api.get("/health")
    assert response.status_code == 503
    assert response.json_body["status"] == "degraded"
    assert set(response.json_body["tables"].values()) == {"unavailable"}


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
        ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
        GetError("Failed to get item", EndpointConnectionError(endpoint_url="x")),
        TransactWriteError("Failed to write", ReadTimeoutError(endpoint_url="x")),
    ],
    ids=["refused", "closed", "read timeout", "wrapped get", "wrapped transaction"],
)
def test_aws_not_answering_maps_to_503(error):
    assert unavailable_backend(error).as_body() == UNAVAILABLE
    assert unavailable_backend(error).status == 503


def test_other_errors_are_not_unavailability():
    assert unavailable_backend(ValueError("x")) is None
    assert unavailable_backend(GetError("Failed to get item", KeyError("pk"))) is None


def test_the_portal_with_aws_down_answers_a_try_again_page(api, aws_down):
    """A customer's browser gets a page, not the API's JSON error."""
    response = api.get("/portal/eyJ0IjoicmVkZS10ZXN0ZSJ9." + "A" * 43)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Tente de novo em alguns minutos" in response.body.decode()
