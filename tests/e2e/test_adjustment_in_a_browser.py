"""The demo network's admin, in Debian's Chromium on the local stack, finds a customer and
adjusts their points with the customer page's form: a value refused comes back next to
its field, the form re-filled; corrected, it goes through, the page shows the ledger
entry with its reason, and the till sees the new balance. The refusal and the customer
page after the adjustment are photographed on a phone and a desktop, axe-clean."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import requests
from playwright.sync_api import expect
from validate_docbr import CPF as CPFS

from bemtevi.security.signing import signed_headers
from tests.e2e.demo_dashboard import photograph, sign_in

pytestmark = pytest.mark.slow
CPF = CPFS().generate(mask=True)
"""A customer of this test alone (the local stack is shared: the samples' Maria is not)."""


def centro_credentials(stack) -> tuple[str, str]:
    found = re.search(r"centro\s+key=(\S+)\s+secret=(\S+)", "".join(stack.output))
    assert found, "the banner shows no credentials for the centro store"
    return found.group(1), found.group(2)


def pos(base: str, stack, path: str, body: dict) -> dict:
    key_id, secret = centro_credentials(stack)
    raw = json.dumps(body).encode()
    headers = {
        **signed_headers(key_id, secret, "POST", path, raw),
        "Content-Type": "application/json",
    }
    answer = requests.post(f"{base}{path}", data=raw, headers=headers, timeout=10)
    assert answer.status_code < 300, answer.text
    return answer.json()


def test_adjust_a_customers_points_with_the_real_form(local_stack, browser, screenshot_dir):
    base = local_stack.base_url
    sale = {
        "sale_id": "e2e-ajuste",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "total": 1000,
        "customer": {"cpf": CPF},
    }
    customer_id = pos(base, local_stack, "/v1/sales", sale)["customer_id"]
    before = pos(base, local_stack, "/v1/balance", {"cpf": CPF})["balance"]
    context = browser.new_context(locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, local_stack)
        page.get_by_role("link", name="Clientes").click()
        page.get_by_label("CPF").fill(CPF)
        page.get_by_role("button", name="Buscar").click()
        page.wait_for_url(f"{base}/painel/clientes/{customer_id}")
        page.get_by_role("textbox", name=re.compile("^Pontos")).fill("-999999")
        page.get_by_role("textbox", name=re.compile("^Motivo")).fill("engano de teste")
        with page.expect_navigation():
            page.get_by_role("button", name="Registrar ajuste").click()
        expect(page.get_by_text(f"O cliente tem só {before} pontos.")).to_be_visible()
        assert page.get_by_role("textbox", name=re.compile("^Pontos")).input_value() == "-999999"
        photograph(page, "ajuste-recusado", screenshot_dir)

        page.get_by_role("textbox", name=re.compile("^Pontos")).fill("+40")
        page.get_by_role("textbox", name=re.compile("^Motivo")).fill("brinde de teste")
        page.get_by_label("Loja de origem dos pontos").select_option("centro")
        with page.expect_navigation():
            page.get_by_role("button", name="Registrar ajuste").click()
        assert page.url == f"{base}/painel/clientes/{customer_id}?ajuste=ok"
        expect(page.get_by_text("Ajuste registrado")).to_be_visible()
        entry = page.get_by_test_id("extrato").get_by_role("row").filter(has_text="Ajuste")
        expect(entry.get_by_text("brinde de teste")).to_be_visible()
        expect(entry.get_by_text("+40")).to_be_visible()
        photograph(page, "cliente-ajustado", screenshot_dir)
        after = pos(base, local_stack, "/v1/balance", {"cpf": CPF})["balance"]
        assert after == before + 40
    finally:
        context.close()
