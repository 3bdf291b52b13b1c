"""The demo network's admin, in Debian's Chromium on the local stack, creates a benefit at
/painel/beneficios; a POS, signing its requests with a store's key, sees it in the next
balance and redeems it; deactivated in the browser, the next redemption is refused. Then
the catalogue is searched by name and by SKU. Each page photographed on a phone and a
desktop, axe-clean."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests
from playwright.sync_api import expect

from bemtevi.security.signing import signed_headers
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.demo_dashboard import photograph, sign_in

pytestmark = pytest.mark.slow
STORE_ID, STORE_NAME = "e2e-beneficios", "Quiosque dos Benefícios"
BENEFIT_ID, BENEFIT = "e2e-quinze", "R$ 15,00 de desconto (teste)"
CPF = "71460238508"  # nobody else's: the other e2e tests count the points of theirs


def pos(base: str, store: tuple[str, str], path: str, body: dict) -> requests.Response:
    """A signed POS request, as the integrator's plug-in sends it."""
    raw = json.dumps(body).encode()
    headers = {**signed_headers(*store, "POST", path, raw), "content-type": "application/json"}
    return requests.post(f"{base}{path}", data=raw, headers=headers, timeout=10)


def redemption(redemption_id: str) -> dict:
    return {
        "redemption_id": redemption_id,
        "customer": {"cpf": CPF},
        "benefit_id": BENEFIT_ID,
        "purchase_total": 5_000,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


def new_store(page, base: str) -> tuple[str, str]:
    """A store created at /painel/lojas: its key id and secret, shown once."""
    page.goto(f"{base}/painel/lojas")
    page.get_by_label("Id (letras minúsculas, números e hífen)").fill(STORE_ID)
    page.get_by_label("Nome", exact=True).fill(STORE_NAME)
    page.get_by_role("button", name="Criar loja e credencial").click()
    page.get_by_role("heading", name="Loja criada").wait_for()
    key_id = page.get_by_label("Identificador da chave").input_value()
    return key_id, page.get_by_label("Segredo (selecione e copie)").input_value()


def test_a_benefit_created_in_the_dashboard_is_redeemed_at_a_signed_till(
    local_stack, browser, screenshot_dir
):
    base = local_stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, local_stack)
        store = new_store(page, base)
        sale = {"sale_id": "e2e-b-1", "total": 30_000, "customer": {"cpf": CPF}}
        sold = pos(base, store, "/v1/sales", {**sale, "occurred_at": datetime.now(UTC).isoformat()})
        assert sold.status_code == 201, sold.text
        before = pos(base, store, "/v1/balance", {"cpf": CPF}).json()
        assert BENEFIT_ID not in [offer["id"] for offer in before["benefits"]]

        page.get_by_role("link", name="Benefícios").click()
        page.wait_for_url(f"{base}/painel/beneficios")
        form = page.get_by_role("region", name="Novo benefício")
        form.get_by_label("Id (letras minúsculas, números e hífen)").fill(BENEFIT_ID)
        form.get_by_label("Descrição (o que o cliente lê)").fill(BENEFIT)
        form.get_by_label("Pontos", exact=True).fill("120")
        form.get_by_label("Desconto em reais (ex.: 10,00)").fill("15,00")
        form.get_by_label("Compra mínima em reais (opcional)").fill("30,00")
        form.get_by_role("button", name="Salvar benefício").click()
        page.wait_for_url(f"{base}/painel/beneficios?aviso=criado")
        expect(page.get_by_text("Benefício salvo: vale no caixa")).to_be_visible()
        expect(page.get_by_role("row", name=BENEFIT)).to_be_visible()
        expect(page.get_by_text("chegam aos caixas em até")).to_be_visible()
        photograph(page, "beneficios", screenshot_dir)

        offers = pos(base, store, "/v1/balance", {"cpf": CPF}).json()["benefits"]
        offered = {offer["id"]: (offer["value"], offer["available"]) for offer in offers}
        assert offered[BENEFIT_ID] == (1_500, True)
        redeemed = pos(base, store, "/v1/redemptions", redemption("e2e-r-1"))
        assert redeemed.status_code == 201, redeemed.text
        assert (redeemed.json()["discount"], redeemed.json()["points_used"]) == (1_500, 120)

        manage = page.get_by_role("region", name=BENEFIT)
        manage.get_by_role("button", name="Desativar").click()
        page.wait_for_url(f"{base}/painel/beneficios?aviso=desativado")
        refused = pos(base, store, "/v1/redemptions", redemption("e2e-r-2"))
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "benefit_inactive")
    finally:
        context.close()


def test_the_catalogue_is_searched_by_name_and_by_sku(local_stack, browser, screenshot_dir):
    base = local_stack.base_url
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, local_stack)
        page.get_by_role("link", name="Catálogo").click()
        page.wait_for_url(f"{base}/painel/catalogo")
        page.get_by_label("Texto (maiúsculas e acentos não importam)").fill("MAMADEIRA 2")
        page.get_by_role("button", name="Buscar").click()
        page.wait_for_url("**/painel/catalogo?por=nome&q=MAMADEIRA+2")
        row = page.get_by_role("row", name="Mamadeira 260 ml")
        expect(row.get_by_role("cell", name="MAMAD-260")).to_be_visible()
        expect(row.get_by_role("cell", name="R$ 52,00")).to_be_visible()
        photograph(page, "catalogo", screenshot_dir)

        page.get_by_label("Buscar por").select_option("sku")
        page.get_by_label("Texto (maiúsculas e acentos não importam)").fill("xyz")
        page.get_by_role("button", name="Buscar").click()
        page.wait_for_url("**/painel/catalogo?por=sku&q=xyz")
        expect(page.get_by_text("Nenhum produto encontrado.")).to_be_visible()
    finally:
        context.close()
