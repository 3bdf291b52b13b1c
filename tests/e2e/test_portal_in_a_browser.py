"""A real customer of the local stack opens the link of their welcome message in headless
Chromium (a phone screen), reads their portal and turns SMS off."""

import json
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from bemtevi.security.signing import signed_headers
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.slow
PHONE = "+5511987651234"
CPF_NUMBER = "714.602.380-01"


def bemtevi(stack, *argv: str) -> str:
    """The `bemtevi` command against the stack's emulated AWS, as its banner says."""
    from infra.local import LOCAL_ENVIRONMENT

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BEMTEVI_"))}
    environment.update(
        LOCAL_ENVIRONMENT, AWS_ENDPOINT_URL=stack.aws_endpoint, BEMTEVI_PUBLIC_URL=stack.base_url
    )
    done = subprocess.run(
        [str(Path(sys.executable).with_name("bemtevi")), *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def welcome_link(
    stack, sale_id: str = "portal-1", phone: str = PHONE, cpf: str = CPF_NUMBER
) -> str:
    """Sell to a new customer, run the outbox, and find the WhatsApp message's link."""
    from infra.local import LOCAL_ENVIRONMENT

    centro = stack.stores["centro"]
    sale = {
        "sale_id": sale_id,
        "occurred_at": "2026-11-20T15:00:00-03:00",
        "total": 23450,
        "customer": {
            "cpf": cpf,
            "phone": phone,
            "name": "Maria Aparecida",
            "email": "maria@exemplo.com.br",
        },
    }
    raw = json.dumps(sale).encode()
    headers = {**signed_headers(centro["key_id"], centro["secret"], "POST", "/v1/sales", raw)}
    headers["Content-Type"] = "application/json"
    answer = requests.post(f"{stack.base_url}/v1/sales", data=raw, headers=headers, timeout=10)
    assert answer.status_code == 201, answer.text
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    report = bemtevi(stack, "jobs", "run", "welcome", "--tenant", "demo", "--date", tomorrow)
    assert "concluída" in report
    recorded = Path(LOCAL_ENVIRONMENT["BEMTEVI_WHATSAPP_RECORD"]).read_text().splitlines()
    mine = [json.loads(line) for line in recorded if json.loads(line)["to"] == phone]
    name, points, link = mine[-1]["parameters"]
    assert (name, points) == ("Maria", "234")
    assert link.startswith(f"{stack.base_url}/l/")
    return link


def test_a_customer_reads_the_portal_and_turns_sms_off(local_stack, page, screenshot_dir):
    link = welcome_link(local_stack)

    page.goto(link)

    assert page.url.startswith(f"{local_stack.base_url}/portal/")
    assert page.locator("h1").inner_text() == "Olá, Maria!"
    assert page.get_by_test_id("saldo").inner_text() == "234 pontos"
    assert "234 pontos vencem em" in page.get_by_test_id("vencimentos").inner_text()
    benefits = page.get_by_test_id("beneficios").inner_text()
    assert "R$ 10,00 de desconto em compras acima de R$ 50,00: 100 pontos" in benefits
    assert page.get_by_text("Termos de uso").is_visible()
    assert page.locator("input[name=sms]").is_checked()
    assert "(11) *****-1234" in page.content()
    assert CPF_NUMBER not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "portal.png"), full_page=True)

    page.locator("input[name=sms]").uncheck()
    page.get_by_role("button", name="Salvar preferências").click()

    assert page.get_by_role("status").inner_text() == "Preferências salvas."
    assert not page.locator("input[name=sms]").is_checked()
    assert page.locator("input[name=whatsapp]").is_checked()
    assert (screenshot_dir / "portal.png").stat().st_size > 10_000


def test_a_forged_link_shows_a_friendly_page_without_data(local_stack, page):
    page.goto(f"{local_stack.base_url}/l/naoexiste1")
    assert page.locator("h1").inner_text() == "Link inválido"
    assert "pontos" not in page.locator("header").inner_text()


def test_a_portal_visit_leaves_no_token_or_code_in_the_output(local_stack):
    link = welcome_link(local_stack, "portal-2", "+5511987655678", "074.829.669-78")
    code = link.rsplit("/", 1)[1]
    seen = len(local_stack.output)
    followed = requests.get(link, allow_redirects=False, timeout=10)
    portal = f"{local_stack.base_url}{followed.headers['Location']}"
    token = portal.rsplit("/", 1)[1]
    html = requests.get(portal, timeout=10).text
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    saved = requests.post(
        f"{portal}/canais",
        data={"form_token": form_token, "sms": "sim"},
        allow_redirects=False,
        timeout=10,
    )
    strangers = [
        requests.get(f"{local_stack.base_url}{path}", timeout=10)
        for path in ("/portal/%C3%A9abc", "/l/%C3%A9abcdefg", f"/portal/{token[:-1]}%C3%A9")
    ]

    assert (followed.status_code, saved.status_code) == (302, 303)
    assert [r.status_code for r in strangers] == [404, 404, 404]
    assert all("Link inválido" in r.text for r in strangers)
    deadline = time.monotonic() + 10
    while sum("HTTP/1.1" in line for line in local_stack.output[seen:]) < 6:
        assert time.monotonic() < deadline, "".join(local_stack.output[seen:])
        time.sleep(0.2)
    output = "".join(local_stack.output)
    assert '"GET /l/*** HTTP/1.1" 302' in output
    assert '"POST /portal/***/canais HTTP/1.1" 303' in output
    assert code not in output
    assert token.split(".")[0] not in output
