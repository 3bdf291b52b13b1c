"""axe-core in a Playwright page: inject the vendored axe.min.js (tests/browser/vendor/
axe-core, see its VERSION), run it on the whole document, keep the violations that matter.

The app's strict CSP forbids any script, so open pages in a context created with
`bypass_csp=True` (only this injected script runs; CSP itself is tested elsewhere):

    context = browser.new_context(viewport=..., locale="pt-BR", bypass_csp=True)
    ...
    assert_accessible(page, "entrar")
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe's violations on the page as it is now, of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [found for found in results["violations"] if found["impact"] in impacts]


def summary(found: list[dict]) -> list[str]:
    """One line per violation: rule, impact and the first offending elements."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in found
    ]


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe violation on the page (`name` labels the failure)."""
    found = violations(page)
    assert found == [], f"{name}: " + "; ".join(summary(found))
