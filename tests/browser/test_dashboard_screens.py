"""The figure pages in Debian's Chromium, on a phone and on a desktop: each renders its
figures and charts without scrolling sideways (only wide tables scroll, inside their box),
and a screenshot of each is saved under test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from functions.dashboard.compare import compare
from functions.dashboard.compensation import compensation
from functions.dashboard.home import home
from functions.dashboard.messages import messages
from tests.integration.dashboard import ADMIN, CENTRO, months, seed_network, seed_this_month

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def network(aws):
    seed_network()
    seed_this_month()


def _pages() -> list:
    before, after, current = months()
    return [
        ("inicio", home, ADMIN, {}),
        ("inicio-loja", home, CENTRO, {}),
        ("comparar", compare, ADMIN, {"de": before, "ate": after}),
        ("compensacao", compensation, ADMIN, {"mes": current}),
        ("mensagens", messages, ADMIN, {"mes": current}),
    ]


def test_each_page_fits_a_phone_and_a_desktop(network, page: Page, screenshot_dir: Path):
    for name, function, manager, query in _pages():
        answer = function(manager, query)
        assert answer.status == 200, name
        for screen, viewport in (("celular", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.set_content(answer.body)
            page.screenshot(path=screenshot_dir / f"painel-{name}-{screen}.png", full_page=True)
            page_width = page.evaluate("document.documentElement.scrollWidth")
            assert page_width <= viewport["width"], (name, screen, page_width)
            assert page.locator("h1").inner_text()
            assert page.locator("nav a[aria-current=page]").count() == 1
