"""The demo network's admin, in Debian's Chromium on the local stack, adjusts a customer's
points with the real form (`painel/ajuste.html`): a value refused comes back next to its
field, the form re-filled; corrected, it goes through and the till sees the new balance.
(The customer page that includes the form is another page's; here the form is first
posted from a page of the dashboard, as the customer page would.) The refusal page is
photographed on a phone and a desktop, axe-clean."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import requests
from validate_docbr import CPF as CPFS

from bemtevi.security.signing import signed_headers
from tests.e2e.test_settings_in_a_browser import ADMIN, admin_password, photograph

pytestmark = pytest.mark.slow
CPF = CPFS().generate(mask=True)
"""A customer of this test alone (the local stack is shared: the samples' Maria is not)."""
POST_FORM = """([action, csrf]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  for (const [name, value] of Object.entries({
    csrf, adjustment_id: "e2e-ajuste-0001", points: "-999999", reason: "ab", store_id: "centro",
  })) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}"""


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
        page.goto(f"{base}/painel/entrar")
        page.get_by_label("E-mail").fill(ADMIN)
        page.get_by_label("Senha").fill(admin_password(local_stack))
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(f"{base}/painel")
        page.goto(f"{base}/painel/programa")
        csrf = page.locator('input[name="csrf"]').first.input_value()
        action = f"/painel/clientes/{customer_id}/ajuste"
        with page.expect_navigation():
            page.evaluate(POST_FORM, [action, csrf])
        assert page.get_by_text("Escreva o motivo do ajuste (de 3 a 200 caracteres).").is_visible()
        assert page.get_by_role("textbox", name=re.compile("^Pontos")).input_value() == "-999999"
        photograph(page, "ajuste-recusado", screenshot_dir)

        page.get_by_role("textbox", name=re.compile("^Pontos")).fill("+40")
        page.get_by_role("textbox", name=re.compile("^Motivo")).fill("brinde de teste")
        page.get_by_label("Loja de origem dos pontos").select_option("centro")
        with page.expect_navigation():
            page.get_by_role("button", name="Registrar ajuste").click()
        assert page.url == f"{base}/painel/clientes/{customer_id}?ajuste=ok"
        after = pos(base, local_stack, "/v1/balance", {"cpf": CPF})["balance"]
        assert after == before + 40
    finally:
        context.close()
