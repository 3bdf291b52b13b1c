"""The demo network's admin, in Debian's Chromium on the local stack, runs a store's POS
credentials from /painel/lojas: adds a store (its first secret shown once), rotates its
secret, signs a POS request with the new one, retires the old one and sees it refused;
then reads /painel/programa. Each page photographed on a phone and a desktop, axe-clean."""

from __future__ import annotations

import re
import time

import pytest
import requests

from bemtevi.security.signing import signed_headers
from tests.browser.axe import assert_accessible
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.test_sign_in_in_a_browser import DESKTOP

pytestmark = pytest.mark.slow
ADMIN = "rede@demo.bemtevi.com.br"
STORE_ID, STORE_NAME = "e2e-quiosque", "Quiosque do Teste"
SECRET_FIELD = "Segredo (selecione e copie)"


def admin_password(stack) -> str:
    """The demo admin's password, as the stack's banner printed it."""
    found = re.search(re.escape(ADMIN) + r"\s+senha=(\S+)", "".join(stack.output))
    assert found, "the banner shows no password for the demo admin"
    return found.group(1)


def photograph(page, name: str, screenshot_dir) -> None:
    """The page at hand on a phone and on a desktop, each checked by axe."""
    for size, viewport in (("celular", PHONE_VIEWPORT), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=screenshot_dir / f"painel-{name}-{size}.png", full_page=True)
        assert_accessible(page, f"{name} ({size})")
    page.set_viewport_size(PHONE_VIEWPORT)


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
        page.goto(f"{base}/painel/entrar")
        page.get_by_label("E-mail").fill(ADMIN)
        page.get_by_label("Senha").fill(admin_password(local_stack))
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(f"{base}/painel")

        page.get_by_role("link", name="Lojas").click()
        page.wait_for_url(f"{base}/painel/lojas")
        assert page.get_by_role("heading", name="Lojas e credenciais").is_visible()
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
        assert page.get_by_text("Guarde o segredo agora").is_visible()
        assert page.get_by_text(f"events/signed-curl.sh {key_id} SEGREDO GET").is_visible()
        photograph(page, "novo-segredo", screenshot_dir)
        new = page.get_by_label(SECRET_FIELD).input_value()
        assert new != first
        assert me(base, key_id, new) == 200
        assert me(base, key_id, first) == 200

        page.goto(f"{base}/painel/lojas")
        store = page.get_by_role("region", name=STORE_NAME)
        store.get_by_role("button", name="Aposentar o segredo antigo").click()
        page.wait_for_url(f"{base}/painel/lojas?aviso=aposentado")
        assert page.get_by_text("Segredo antigo aposentado").is_visible()
        assert refused_within(65, base, key_id, first) == 401
        assert me(base, key_id, new) == 200

        page.get_by_role("link", name="Programa").click()
        page.wait_for_url(f"{base}/painel/programa")
        assert page.get_by_text("Loja Centro: uma venda de R$ 100,00 rende").is_visible()
        assert page.get_by_text("chega aos caixas em até").is_visible()
        photograph(page, "programa", screenshot_dir)
    finally:
        context.close()
