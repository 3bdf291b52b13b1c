"""The whole dashboard on its own local stack, in Debian's Chromium, as the demo network's
admin (`rede@`) and the manager of its `centro` store (`centro@`) use it.

The test drives the demo network itself through the signed POS API, with explicit
`occurred_at` in the two closed months before today's (São Paulo time): A, the month
before last, and B, last month. It takes their snapshots with the `bemtevi` metrics job
(on the 1st of the month after each) and closes this month's compensation with the
compensation job (on the 1st of next month), as an operator would.

A (day 10): X R$ 200,00 at centro; an anonymous R$ 100,00 at shopping.
B (day 10): X R$ 300,00 at centro; Y R$ 150,00 at shopping; an anonymous R$ 50,00 at
bairro; Z R$ 100,00 at bairro with R$ 20,00 of discount.
Today: X redeems "desconto-10" (100 points, R$ 10,00) at shopping; FIFO takes 100 of
the points X earned at centro in A, so centro owes shopping R$ 10,00 this month.

Worked out by hand (ticket = net revenue / sales; change = (B - A) / A, one decimal):

| figure                 | A           | B           | change  |
| sales                  | 2           | 4           | +100,0% |
| gross sales            | R$ 300,00   | R$ 600,00   | +100,0% |
| net revenue            | R$ 300,00   | R$ 580,00   | +93,3%  |
| average ticket         | R$ 150,00   | R$ 145,00   | -3,3%   |
| sales that earned pts  | 50,0%       | 75,0%       | +50,0%  |
| centro: sales          | 1           | 1           | 0,0%    |
| centro: net revenue    | R$ 200,00   | R$ 300,00   | +50,0%  |
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from bemtevi.security.signing import signed_headers
from tests.browser.axe import assert_accessible
from tests.conftest import PHONE_VIEWPORT, SCREENSHOTS
from tests.e2e.conftest import ROOT, LocalStack, start_local_stack
from tests.e2e.test_monthly_metrics_and_compensation import MANY_COMMANDS

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1280, "height": 800}
ADMIN, MANAGER = "rede@demo.bemtevi.com.br", "centro@demo.bemtevi.com.br"
INVITED = "nova.gerente@demo.bemtevi.com.br"
OTHER_STORES = ("Loja Shopping Ibirapuera", "Loja Vila Mariana")
X, Y, Z = "529.982.247-25", "111.444.777-35", "390.533.447-05"
ABBREVIATIONS = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")
PASSWORD = re.compile(r"^\s+(\S+@\S+)\s+senha=(\S+)")


def shifted(month: str, by: int) -> str:
    year, number = map(int, month.split("-"))
    index = year * 12 + number - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def label(month: str) -> str:
    """The dashboard's short month name, "nov/26"."""
    year, number = month.split("-")
    return f"{ABBREVIATIONS[int(number) - 1]}/{year[2:]}"


class Demo:
    """The demo network on a stack of its own: passwords from the banner, the stores'
    signed POS calls, the `bemtevi` command against the stack's emulated AWS."""

    def __init__(self, stack: LocalStack) -> None:
        from infra.local import LOCAL_ENVIRONMENT

        self.stack = stack
        self.base = stack.base_url
        self.passwords = dict(m.groups() for m in map(PASSWORD.match, stack.output) if m)
        today = datetime.now(UTC).astimezone(ZoneInfo("America/Sao_Paulo")).date()
        self.current = today.isoformat()[:7]
        self.b, self.a = shifted(self.current, -1), shifted(self.current, -2)
        self.export = Path()  # the CLI's compensation CSV of this month
        self.temporary = ""  # the invited manager's temporary password
        self.environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BEMTEVI_"))
        }
        self.environment.update(
            LOCAL_ENVIRONMENT,
            AWS_ENDPOINT_URL=stack.aws_endpoint,
            BEMTEVI_PUBLIC_URL=stack.base_url,
            POWERTOOLS_LOG_LEVEL="WARNING",
        )

    def post(self, store: str, path: str, body: dict) -> dict:
        keys = self.stack.stores[store]
        raw = json.dumps(body).encode()
        headers = signed_headers(keys["key_id"], keys["secret"], "POST", path, raw)
        headers["Content-Type"] = "application/json"
        answer = requests.post(f"{self.base}{path}", data=raw, headers=headers, timeout=60)
        assert answer.status_code < 300, answer.text
        return answer.json()

    def sale(self, store: str, sale_id: str, month: str, total: int, cpf=None, discount=0):
        body: dict = {"sale_id": sale_id, "occurred_at": f"{month}-10T12:00:00-03:00"}
        body["total"] = total
        if discount:
            body["discount"] = discount
        if cpf:
            body["customer"] = {"cpf": cpf}
        return self.post(store, "/v1/sales", body)

    def bemtevi(self, *commands: list[str]) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", MANY_COMMANDS],
            input=json.dumps(list(commands)),
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    """One stack for the module: the two scripted months, their snapshots, a redemption
    today and this month's compensation closed; `demo.export` is the CLI's CSV of it."""
    stack = start_local_stack()
    try:
        demo = Demo(stack)
        a, b = demo.a, demo.b
        assert demo.sale("centro", "a-1", a, 20000, X)["points_earned"] == 200
        demo.sale("shopping", "a-2", a, 10000)
        demo.sale("centro", "b-1", b, 30000, X)
        demo.sale("shopping", "b-2", b, 15000, Y)
        demo.sale("bairro", "b-3", b, 5000)
        demo.sale("bairro", "b-4", b, 10000, Z, discount=2000)
        redemption = {
            "redemption_id": "troca-1",
            "customer": {"cpf": X},
            "benefit_id": "desconto-10",
            "purchase_total": 8000,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        demo.post("shopping", "/v1/redemptions", redemption)
        demo.export = tmp_path_factory.mktemp("export") / "compensacao.csv"
        next_first = f"{shifted(demo.current, 1)}-01"
        *_, invited = demo.bemtevi(
            ["jobs", "run", "metrics", "--tenant", "demo", "--date", f"{b}-01"],
            ["jobs", "run", "metrics", "--tenant", "demo", "--date", f"{demo.current}-01"],
            ["jobs", "run", "compensation", "--tenant", "demo", "--date", next_first],
            [
                *("compensation", "export", "--tenant", "demo", "--month", demo.current),
                *("--output", str(demo.export)),
            ],
            [
                *("user", "invite", "--tenant", "demo", "--email", INVITED),
                *("--role", "loja", "--store", "bairro"),
            ],
        )
        demo.temporary = re.search(r"senha temporária: (\S+)", invited).group(1)
        yield demo
    finally:
        stack.stop()


def new_context(browser):
    """A phone in Brazilian Portuguese; CSP bypassed only so that axe can be injected."""
    return browser.new_context(viewport=PHONE_VIEWPORT, locale="pt-BR", bypass_csp=True)


def sign_in(page, demo: Demo, email: str, password: str | None = None) -> None:
    page.goto(f"{demo.base}/painel/entrar")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(password or demo.passwords[email])
    page.get_by_role("button", name="Entrar").click()


@pytest.fixture(scope="module")
def manager_page(demo: Demo, browser) -> Iterator:
    """The `centro` store's manager, signed in once for the module."""
    context = new_context(browser)
    page = context.new_page()
    sign_in(page, demo, MANAGER)
    page.wait_for_url(f"{demo.base}/painel")
    yield page
    context.close()


def photographed(page, name: str) -> None:
    """Screenshots of the page on a phone and a desktop, each fitting its width (wide
    tables scroll inside their box) and without serious or critical axe violations."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for screen, viewport in (("celular", PHONE_VIEWPORT), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=SCREENSHOTS / f"painel-{name}-{screen}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, screen, width)
        assert_accessible(page, f"{name} ({screen})")
    page.set_viewport_size(PHONE_VIEWPORT)


def visit(page, url: str, status: int = 200) -> None:
    answer = page.goto(url)
    assert answer.status == status, (url, answer.status)


def test_every_page_is_accessible_on_a_phone_and_a_desktop(demo, browser, manager_page):
    base = demo.base
    context = new_context(browser)
    page = context.new_page()
    try:
        visit(page, f"{base}/painel/entrar")
        photographed(page, "entrar")
        visit(page, f"{base}/painel/esqueci")
        photographed(page, "esqueci")
        page.get_by_label("E-mail").fill("ninguem@exemplo.com.br")
        page.get_by_role("button", name="Enviar código").click()
        page.get_by_label("Código recebido por e-mail").wait_for()
        photographed(page, "esqueci-codigo")
        sign_in(page, demo, INVITED, demo.temporary)
        page.get_by_role("heading", name="Crie sua senha").wait_for()
        photographed(page, "nova-senha")
        context.clear_cookies()
        sign_in(page, demo, ADMIN)
        page.wait_for_url(f"{base}/painel")
        for name, path in (
            ("inicio", "/painel"),
            ("comparar", f"/painel/comparar?de={demo.a}&ate={demo.b}"),
            ("compensacao", f"/painel/compensacao?mes={demo.current}"),
            ("mensagens", "/painel/mensagens"),
            ("auditoria", "/painel/auditoria"),
            ("sair", "/painel/sair"),
        ):
            visit(page, base + path)
            photographed(page, name)
        visit(page, f"{base}/painel/nada-por-aqui", 404)
        photographed(page, "404")
    finally:
        context.close()
    visit(manager_page, f"{base}/painel/auditoria", 403)
    photographed(manager_page, "403")
    visit(manager_page, f"{base}/painel")
    photographed(manager_page, "inicio-loja")


def cells(page, table: str, row: str) -> list[str]:
    """The cells of the row headed `row` in the table `data-testid=table`."""
    found = (
        page.get_by_test_id(table)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=row, exact=True))
    )
    return [text.replace("\xa0", " ") for text in found.get_by_role("cell").all_inner_texts()]


def accessible_name(page, chart_id: str) -> str:
    """What a screen reader says for the SVG chart: its title, then its description."""
    title = page.locator(f"#{chart_id}-t").text_content()
    description = page.locator(f"#{chart_id}-d").text_content()
    return f"{title} {description}".replace("\xa0", " ")


def test_store_manager_sees_only_their_store(demo, manager_page):
    base, page = demo.base, manager_page
    pages = (
        "/painel",
        f"/painel/comparar?de={demo.a}&ate={demo.b}",
        f"/painel/compensacao?mes={demo.current}",
        "/painel/mensagens",
    )
    for path in pages:
        visit(page, base + path)
        assert page.get_by_test_id("escopo").inner_text() == "Rede Demo: Loja Centro" or (
            page.get_by_test_id("escopo").inner_text() == "Suas lojas: Loja Centro"
        ), path
        shown = page.locator("main").inner_text()
        if "compensacao" in path:
            # centro's own invoice names whom it pays: the counterparty of its one line
            assert cells(page, "extrato-centro", "Loja Shopping Ibirapuera")[:3] == [
                "R$ 10,00",
                "R$ 0,00",
                "-R$ 10,00",
            ]
            assert page.locator("[data-testid^=extrato-]").count() == 1
            assert page.get_by_role("link", name="Baixar CSV da rede").count() == 0
            shown = shown.replace("Loja Shopping Ibirapuera", "", 1)
        for other in OTHER_STORES:
            assert other not in shown, (path, other)
    visit(page, f"{base}/painel/comparar?de={demo.a}&ate={demo.b}")
    assert cells(page, "comparacao", "Vendas") == ["1", "1", "0,0%"]
    assert cells(page, "comparacao", "Faturamento (menos devoluções)") == [
        "R$ 200,00",
        "R$ 300,00",
        "+50,0%",
    ]
    assert [link.inner_text() for link in page.locator("nav a").all()] == [
        "Início",
        "Comparar",
        "Compensação",
        "Mensagens",
        "Campanhas",
        "Clientes",
        "Sair",
    ]
    visit(page, f"{base}/painel/auditoria", 403)
    visit(page, f"{base}/painel/compensacao.csv?mes={demo.current}", 403)
    visit(page, f"{base}/painel?loja=shopping", 403)


def test_network_admin_signs_in_reads_compares_downloads_and_signs_out(demo, browser):
    base, a, b = demo.base, demo.a, demo.b
    context = new_context(browser)
    page = context.new_page()
    try:
        visit(page, f"{base}/painel")
        assert page.url == f"{base}/painel/entrar"
        sign_in(page, demo, ADMIN)
        page.wait_for_url(f"{base}/painel")
        assert page.get_by_test_id("escopo").inner_text() == "Rede Demo: todas as lojas"

        charts = page.locator("figure.grafico svg[role=img]")
        assert charts.count() == 6
        first = label(shifted(b, -11))
        assert accessible_name(page, "tendencia-sales") == (
            f"Vendas Vendas de {first} a {label(b)}: "
            f"menor 2 em {label(a)}, maior 4 em {label(b)}, último 4."
        )
        assert accessible_name(page, "tendencia-revenue") == (
            "Faturamento (menos devoluções) Faturamento (menos devoluções) de "
            f"{first} a {label(b)}: menor R$ 300,00 em {label(a)}, "
            f"maior R$ 580,00 em {label(b)}, último R$ 580,00."
        )
        bars = page.locator("#tendencia-sales-t ~ rect title").all_text_contents()
        assert bars == [f"{label(a)}: 2", f"{label(b)}: 4"]
        assert page.get_by_role("img", name=re.compile("^Vendas que pontuaram")).count() == 1

        page.get_by_role("link", name="Comparar").click()
        page.get_by_label("Período A (antes)").fill(a)
        page.get_by_label("Período B (depois)").fill(b)
        page.get_by_role("button", name="Comparar").click()
        page.wait_for_url(re.compile(rf"/painel/comparar\?de={a}&ate={b}"))
        expected = {
            "Vendas": ["2", "4", "+100,0%"],
            "Vendas brutas (antes dos descontos)": ["R$ 300,00", "R$ 600,00", "+100,0%"],
            "Faturamento (menos devoluções)": ["R$ 300,00", "R$ 580,00", "+93,3%"],
            "Ticket médio": ["R$ 150,00", "R$ 145,00", "-3,3%"],
            "Vendas que pontuaram": ["50,0%", "75,0%", "+50,0%"],
        }
        for figure, values in expected.items():
            assert cells(page, "comparacao", figure) == values, figure
        assert accessible_name(page, "par-sales") == (
            f"Vendas Vendas: A: {label(a)} 2 e B: {label(b)} 4."
        )

        visit(page, f"{base}/painel/compensacao?mes={demo.current}")
        assert page.get_by_test_id("situacao").inner_text() == "fechado"
        assert cells(page, "extrato-centro", "Loja Shopping Ibirapuera")[:3] == [
            "R$ 10,00",
            "R$ 0,00",
            "-R$ 10,00",
        ]
        with page.expect_download() as download:
            page.get_by_role("link", name="Baixar CSV da rede").click()
        assert download.value.suggested_filename == f"compensacao-demo-{demo.current}.csv"
        assert Path(download.value.path()).read_bytes() == demo.export.read_bytes()
        assert b"centro" in demo.export.read_bytes()

        page.get_by_role("link", name="Sair").click()
        page.wait_for_url(f"{base}/painel/sair")
        page.get_by_role("button", name="Sair").click()
        page.wait_for_url(f"{base}/painel/entrar?aviso=saiu")
        assert page.get_by_text("Você saiu do painel.").is_visible()
        visit(page, f"{base}/painel")
        assert page.url == f"{base}/painel/entrar"
    finally:
        context.close()
