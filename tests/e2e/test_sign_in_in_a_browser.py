"""An invited manager's first sign-in on the local stack, in Debian's Chromium: the
sign-in page, the new-password step, the dashboard, then sign-out. Each page is
photographed on a phone and a desktop and checked with axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.axe import assert_accessible
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.test_portal_in_a_browser import bemtevi

pytestmark = pytest.mark.slow
DESKTOP = {"width": 1280, "height": 800}
EMAIL = "primeiro.acesso@demo.bemtevi.com.br"
NEW_PASSWORD = "Minha-senha-2026"


def look(context_page, url: str, name: str, screenshot_dir, browser) -> None:
    """Screenshots of `url` on a phone (the page at hand) and a desktop, each checked by axe."""
    context_page.screenshot(path=screenshot_dir / f"painel-{name}-celular.png", full_page=True)
    assert_accessible(context_page, f"{name} (celular)")
    desktop = browser.new_context(viewport=DESKTOP, locale="pt-BR", bypass_csp=True)
    try:
        page = desktop.new_page()
        page.goto(url)
        page.screenshot(path=screenshot_dir / f"painel-{name}-desktop.png", full_page=True)
        assert_accessible(page, f"{name} (desktop)")
    finally:
        desktop.close()


def test_first_sign_in_with_a_new_password_then_sign_out(local_stack, browser, screenshot_dir):
    out = bemtevi(
        local_stack,
        "user",
        "invite",
        "--tenant",
        "demo",
        "--email",
        EMAIL,
        "--role",
        "loja",
        "--store",
        "centro",
    )
    temporary = re.search(r"senha temporária: (\S+)", out).group(1)
    base = local_stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/painel")
        assert page.url == f"{base}/painel/entrar"
        assert page.get_by_role("heading", name="Entrar").is_visible()
        look(page, page.url, "entrar", screenshot_dir, browser)

        page.get_by_label("E-mail").fill(EMAIL)
        page.get_by_label("Senha").fill(temporary)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(f"{base}/painel/entrar")
        assert page.get_by_role("heading", name="Crie sua senha").is_visible()
        page.screenshot(path=screenshot_dir / "painel-nova-senha-celular.png", full_page=True)
        assert_accessible(page, "nova senha (celular)")
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=screenshot_dir / "painel-nova-senha-desktop.png", full_page=True)
        assert_accessible(page, "nova senha (desktop)")
        page.set_viewport_size(PHONE_VIEWPORT)

        page.get_by_label("Nova senha", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Repita a nova senha").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Salvar senha e entrar").click()
        page.wait_for_url(f"{base}/painel")
        assert page.get_by_role("heading", name="Início", exact=True).is_visible()
        assert page.get_by_text("Loja Centro").first.is_visible()
        assert page.get_by_text("Loja Shopping Ibirapuera").count() == 0
        assert_accessible(page, "início (celular)")
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["painel_id"]["httpOnly"] is True
        assert cookies["painel_id"]["sameSite"] == "Strict"

        page.get_by_role("link", name="Sair").click()
        page.wait_for_url(f"{base}/painel/sair")
        assert_accessible(page, "sair (celular)")
        page.get_by_role("button", name="Sair").click()
        page.wait_for_url(f"{base}/painel/entrar?aviso=saiu")
        assert page.get_by_text("Você saiu do painel.").is_visible()
        assert "painel_id" not in {c["name"] for c in context.cookies()}
        page.goto(f"{base}/painel")
        assert page.url == f"{base}/painel/entrar"
    finally:
        context.close()
    listed = bemtevi(local_stack, "user", "list", "--tenant", "demo")
    assert f"{EMAIL}: gerente de loja (centro), ativo" in listed
