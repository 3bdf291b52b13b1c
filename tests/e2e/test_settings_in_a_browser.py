"""The demo network's admin, in Debian's Chromium on the local stack, runs a store's POS
credentials from /painel/lojas: adds a store (its first secret shown once), rotates its
secret, signs a POS request with the new one, retires the old one and sees it refused;
then reads /painel/programa. Each page photographed on a phone and a desktop, axe-clean."""

from __future__ import annotations

import time

import pytest
import requests
from playwright.sync_api import expect

from bemtevi.security.signing import signed_headers
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.demo_dashboard import photograph, sign_in

pytestmark = pytest.mark.slow
STORE_ID, STORE_NAME = "e2e-quiosque", "Quiosque do Teste"
SECRET_FIELD = "Segredo (selecione e copie)"


def me(base: str, key_id: str, secret: str) -> int:
    headers = signed_headers(key_id, secret, "GET", "/v1/me")
    return requests.get(f"{base}/v1/me", headers=headers, timeout=10).status_code


def refused_within(seconds: float, base: str, key_id: str, secret: str) -> int:
    """The status for `secret` once refused, or the last one after `seconds` (the
    documented cache time, should the server run in several processes)."""
    deadline = time.monotonic() + seconds
    status = me(base, key_id, secret)
    while status != 401 and time.monotonic() < deadline:
        time.sleep(1)
        status = me(base, key_id, secret)
    return status


def test_add_a_store_rotate_its_secret_and_retire_the_old_one(local_stack, browser, screenshot_dir):
    base = local_stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, local_stack)

        page.get_by_role("link", name="Lojas").click()
        page.wait_for_url(f"{base}/painel/lojas")
        expect(page.get_by_role("heading", name="Lojas e credenciais")).to_be_visible()
        photograph(page, "lojas", screenshot_dir)

        page.get_by_label("Id (letras minúsculas, números e hífen)").fill(STORE_ID)
        page.get_by_label("Nome", exact=True).fill(STORE_NAME)
        page.get_by_role("button", name="Criar loja e credencial").click()
        page.get_by_role("heading", name="Loja criada").wait_for()
        key_id = page.get_by_label("Identificador da chave").input_value()
        first = page.get_by_label(SECRET_FIELD).input_value()
        assert me(base, key_id, first) == 200

        page.get_by_role("link", name="Voltar às lojas").click()
        store = page.get_by_role("region", name=STORE_NAME)
        store.get_by_role("button", name="Gerar novo segredo").click()
        page.wait_for_url(f"{base}/painel/lojas/segredo")
        expect(page.get_by_text("Guarde o segredo agora")).to_be_visible()
        expect(page.get_by_text(f"events/signed-curl.sh {key_id} SEGREDO GET")).to_be_visible()
        photograph(page, "novo-segredo", screenshot_dir)
        new = page.get_by_label(SECRET_FIELD).input_value()
        assert new != first
        assert me(base, key_id, new) == 200
        assert me(base, key_id, first) == 200

        page.goto(f"{base}/painel/lojas")
        store = page.get_by_role("region", name=STORE_NAME)
        store.get_by_role("button", name="Aposentar o segredo antigo").click()
        page.wait_for_url(f"{base}/painel/lojas?aviso=aposentado")
        expect(page.get_by_text("Segredo antigo aposentado")).to_be_visible()
        assert refused_within(65, base, key_id, first) == 401
        assert me(base, key_id, new) == 200

        page.get_by_role("link", name="Programa").click()
        page.wait_for_url(f"{base}/painel/programa")
        expect(page.get_by_text("Loja Centro: uma venda de R$ 100,00 rende")).to_be_visible()
        expect(page.get_by_text("chega aos caixas em até")).to_be_visible()
        photograph(page, "programa", screenshot_dir)
    finally:
        context.close()
