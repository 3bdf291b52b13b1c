"""Requests carrying a CPF, a phone and an e-mail leave none of them in the logs."""

import io
import json

import pytest

from bemtevi.observability import logger
from tests.integration.conftest import signed

CPF, PHONE, EMAIL = "529.982.247-25", "+55 (11) 98765-4321", "maria.silva@example.com"
TRACES = ["52998224725", "529.982.247-25", "5511987654321", "98765-4321", "987654321", EMAIL]
PERSON = {"customer": {"cpf": CPF, "phone": PHONE, "email": EMAIL, "name": "Maria"}}


@pytest.fixture
def logs():
    handler = logger.registered_handler
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _assert_clean(text: str) -> None:
    leaked = [trace for trace in TRACES if trace in text]
    assert not leaked, f"PII in logs: {leaked}"


def test_signed_unsigned_and_failing_requests_log_no_pii(api, store, logs, monkeypatch):
    query = f"?cpf={CPF.replace('.', '').replace('-', '')}&phone=5511987654321&email={EMAIL}"
    arguments = signed(store, PERSON, path="/v1/me" + query)
    assert api.get("/v1/me" + query, **arguments).status_code == 200
    assert api.get("/v1/me", body=json.dumps(PERSON).encode(), headers={}).status_code == 401

    def fails(*_: object) -> None:
        raise ValueError(f"cliente {CPF} tel {PHONE} e-mail {EMAIL} cpf 52998224725")

    monkeypatch.setattr("functions.network.stores.store_profile", fails)
    assert api.get("/v1/me", **signed(store, PERSON)).status_code == 500

    text = logs.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["message"] for line in lines if line["message"] == "request handled"] == [
        "request handled"
    ] * 3
    assert any("ValueError" in line.get("exception", "") for line in lines)
    _assert_clean(text)


def test_the_log_formatter_masks_what_slips_through(logs):
    logger.info(f"cpf {CPF} e 52998224725, celular {PHONE} ou 11 98765-4321, {EMAIL}")
    text = logs.getvalue()
    assert "[redacted]" in text
    _assert_clean(text)
    logger.info("venda 1732368000 loja centro total 15990 nfce 3526" + "1" * 40)
    assert "1732368000" in logs.getvalue()
