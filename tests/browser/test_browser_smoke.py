"""The browser harness works: chromium loads a local Portuguese page, runs its script and
takes a screenshot."""

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

PAGE = """<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><title>Bem-te-vi</title></head>
<body>
  <h1>Olá, cliente!</h1>
  <p id="saldo">Você tem 120 pontos.</p>
  <button id="resgatar">Resgatar</button>
  <script>
    document.getElementById("resgatar").addEventListener("click", () => {
      document.getElementById("saldo").textContent = "Resgate confirmado: 100 pontos.";
    });
  </script>
</body>
</html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A tiny static site on a free loopback port."""
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    handler = partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_page_renders_portuguese_and_reacts_to_a_click(
    page: Page, site: str, screenshot_dir: Path
) -> None:
    page.goto(site)

    expect(page.locator("h1")).to_have_text("Olá, cliente!")
    expect(page.locator("#saldo")).to_have_text("Você tem 120 pontos.")
    page.get_by_role("button", name="Resgatar").click()
    expect(page.locator("#saldo")).to_have_text("Resgate confirmado: 100 pontos.")
    assert page.evaluate("navigator.language") == "pt-BR"
    assert page.viewport_size == {"width": 390, "height": 844}

    shot = screenshot_dir / "smoke.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file()
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 0
