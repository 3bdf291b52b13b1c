"""LGPD on the local stack, in headless Chromium (a phone screen): a customer opens
"Meus dados" from their link, downloads the JSON, erases themselves; then neither their
link nor ops (`bemtevi customer export`) can find them."""

import subprocess

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.test_portal_in_a_browser import bemtevi, welcome_link

pytestmark = pytest.mark.slow
PHONE, CPF = "+5511987659876", "390.533.447-05"


@pytest.fixture
def page(browser):
    """A phone screen that lets axe in (the pages' CSP refuses any injected script)."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_a_customer_downloads_and_erases_their_data(local_stack, page, screenshot_dir):
    link = welcome_link(local_stack, "lgpd-1", PHONE, CPF)
    page.goto(link)
    portal = page.url
    page.get_by_role("link", name="Meus dados: ver, baixar ou apagar").click()

    expect(page.locator("h1")).to_have_text("Meus dados")
    assert "Maria Aparecida" in page.get_by_test_id("dados-pessoais").inner_text()
    assert_accessible(page, "meus dados")
    page.screenshot(path=str(screenshot_dir / "portal-meus-dados.png"), full_page=True)
    download = requests.get(f"{portal}/meus-dados.json", timeout=10)
    assert download.json()["dados_pessoais"]["email"] == "maria@exemplo.com.br"
    exported = bemtevi(local_stack, "customer", "export", "--tenant", "demo", "--cpf", CPF)
    assert "Maria Aparecida" in exported

    page.get_by_label("Confirmo: quero apagar meus dados").check()
    page.get_by_role("button", name="Apagar meus dados").click()

    expect(page.locator("h1")).to_have_text("Seus dados foram apagados")
    assert_accessible(page, "dados apagados")
    page.screenshot(path=str(screenshot_dir / "portal-dados-apagados.png"), full_page=True)
    assert "Maria" not in page.content()
    assert requests.get(portal, timeout=10).status_code == 404
    with pytest.raises(subprocess.CalledProcessError) as refused:
        bemtevi(local_stack, "customer", "export", "--tenant", "demo", "--cpf", CPF)
    assert "Cliente não encontrado" in refused.value.stderr
