"""The demo network's admin, in Debian's Chromium on the local stack, edits the reminder's
SMS at /painel/textos: a longer text previewed goes from one segment to two (and its cost
doubles) without being saved; saved, it is listed as the network's own; then the default
comes back. Each page photographed on a phone and a desktop, axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE_VIEWPORT
from tests.e2e.demo_dashboard import photograph, sign_in

pytestmark = pytest.mark.slow
LONGER = "{{ rede }}: {{ nome }}, voce tem {{ saldo }} pontos, que valem {{ valor }}. " * 3


def segments(page) -> str:
    return page.locator("#segmentos").inner_text()


def test_edit_a_template_preview_its_segments_save_and_reset(local_stack, browser, screenshot_dir):
    base = local_stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, local_stack)

        page.get_by_role("link", name="Textos").click()
        page.wait_for_url(f"{base}/painel/textos")
        expect(page.get_by_text("chega aos envios e aos caixas em até")).to_be_visible()
        photograph(page, "textos", screenshot_dir)

        page.get_by_role("link", name="Editar lembrete por SMS").click()
        page.wait_for_url("**/painel/textos/editar?tipo=reminder&canal=sms")
        assert segments(page) == "1"
        expect(page.get_by_text("Texto padrão")).to_be_visible()

        page.get_by_role("textbox", name="Texto").fill(LONGER)
        page.get_by_role("button", name="Pré-visualizar").click()
        page.wait_for_url(f"{base}/painel/textos/editar")
        assert segments(page) == "2"
        expect(page.get_by_text("Pré-visualizar não salva nada")).to_be_visible()
        photograph(page, "texto-previa", screenshot_dir)

        page.get_by_role("button", name="Salvar").click()
        page.wait_for_url("**/painel/textos/editar?tipo=reminder&canal=sms&aviso=salvo")
        expect(page.get_by_text("Texto salvo.")).to_be_visible()
        assert segments(page) == "2"
        page.get_by_role("link", name="Voltar aos textos").click()
        page.wait_for_url(f"{base}/painel/textos")
        row = page.get_by_role("row", name="lembrete SMS")
        expect(row.get_by_text("personalizado")).to_be_visible()

        row.get_by_role("link").click()
        page.wait_for_url("**/painel/textos/editar?tipo=reminder&canal=sms")
        page.get_by_role("button", name="Voltar ao texto padrão").click()
        page.wait_for_url("**aviso=padrao")
        assert segments(page) == "1"
    finally:
        context.close()
