"""The demo network's admin and the manager of its Centro store, in Debian's Chromium on
the local stack, find a demo customer by CPF at /painel/clientes and read their page: the
admin sees the CPF whole, the store manager masked. Each page photographed on a phone
and a desktop, axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from infra.seed import DEMO_CPFS
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.demo_dashboard import ADMIN, CENTRO, photograph, sign_in

pytestmark = pytest.mark.slow
CPF = DEMO_CPFS[1]
"""The seed's customer who buys at Centro on the 1st of every month (so on any date)."""


def find_customer(stack, browser, email: str, screenshot_dir, name: str):
    """Sign in as `email`, find the demo customer by CPF and photograph both pages; the
    customer's page is left open."""
    base = stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    sign_in(page, stack, email)
    page.get_by_role("link", name="Clientes").click()
    page.wait_for_url(f"{base}/painel/clientes")
    photograph(page, f"clientes-{name}", screenshot_dir)
    page.get_by_label("CPF").fill(f"{CPF[:3]}.{CPF[3:6]}.{CPF[6:9]}-{CPF[9:]}")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r".*/painel/clientes/c[a-z0-9]+$"))
    assert CPF not in page.url
    page.get_by_role("heading", name="Extrato").wait_for()
    photograph(page, f"cliente-{name}", screenshot_dir)
    return context, page


def test_the_admin_finds_a_customer_by_cpf_and_reads_the_page(local_stack, browser, screenshot_dir):
    context, page = find_customer(local_stack, browser, ADMIN, screenshot_dir, "rede")
    try:
        profile = page.get_by_test_id("perfil")
        expect(profile.get_by_text(f"{CPF[:3]}.{CPF[3:6]}.{CPF[6:9]}-{CPF[9:]}")).to_be_visible()
        ledger = page.get_by_test_id("extrato")
        expect(ledger.get_by_text("Pontos ganhos").first).to_be_visible()
        expect(page.get_by_test_id("lotes").get_by_text("Loja Centro").first).to_be_visible()
        expect(page.get_by_role("heading", name="Ajuste manual de pontos")).to_be_visible()

        page.get_by_role("link", name="Clientes").click()
        page.get_by_label("CPF").fill("390.533.447-05")
        page.get_by_role("button", name="Buscar").click()
        expect(
            page.get_by_text("Nenhum cliente encontrado com este CPF ou celular.")
        ).to_be_visible()
    finally:
        context.close()


def test_the_store_manager_sees_the_customer_masked(local_stack, browser, screenshot_dir):
    context, page = find_customer(local_stack, browser, CENTRO, screenshot_dir, "loja")
    try:
        profile = page.get_by_test_id("perfil")
        expect(profile.get_by_text(f"***.{CPF[3:6]}.{CPF[6:9]}-**")).to_be_visible()
        assert CPF[:3] + "." not in page.content()
        assert page.get_by_role("heading", name="Ajuste manual de pontos").count() == 0
    finally:
        context.close()
