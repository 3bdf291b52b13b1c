"""What the browser tests of the dashboard share on the session's local stack: the demo
users and their passwords (as the stack's banner printed them), signing in, and
photographing a page on a phone and a desktop with axe's check."""

from __future__ import annotations

import re

from tests.browser.axe import assert_accessible
from tests.conftest import PHONE_VIEWPORT
from tests.e2e.test_sign_in_in_a_browser import DESKTOP

ADMIN = "rede@demo.bemtevi.com.br"
CENTRO = "centro@demo.bemtevi.com.br"


def demo_password(stack, email: str = ADMIN) -> str:
    """A demo user's password, as the stack's banner printed it."""
    found = re.search(re.escape(email) + r"\s+senha=(\S+)", "".join(stack.output))
    assert found, f"the banner shows no password for {email}"
    return found.group(1)


def sign_in(page, stack, email: str = ADMIN) -> None:
    """Sign in as the demo user `email`; the page is left on /painel."""
    page.goto(f"{stack.base_url}/painel/entrar")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(demo_password(stack, email))
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{stack.base_url}/painel")


def photograph(page, name: str, screenshot_dir) -> None:
    """The page at hand on a phone and on a desktop, each checked by axe."""
    for size, viewport in (("celular", PHONE_VIEWPORT), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=screenshot_dir / f"painel-{name}-{size}.png", full_page=True)
        assert_accessible(page, f"{name} ({size})")
    page.set_viewport_size(PHONE_VIEWPORT)
