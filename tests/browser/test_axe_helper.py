"""The axe-core helper finds what it must: an unlabelled field and unreadable text are
serious violations; the same page fixed has none."""

from tests.browser.axe import summary, violations

BROKEN = """<!doctype html><html lang="pt-BR"><head><title>Teste</title></head><body><main>
<h1>Entrar</h1><input type="text"><p style="color:#ddd;background:#fff">texto claro</p>
</main></body></html>"""
FIXED = """<!doctype html><html lang="pt-BR"><head><title>Teste</title></head><body><main>
<h1>Entrar</h1><label for="e">E-mail</label><input id="e" type="text">
<p style="color:#333;background:#fff">texto</p></main></body></html>"""


def test_axe_reports_serious_violations_and_none_on_the_fixed_page(page):
    page.set_content(BROKEN)
    found = {v["id"] for v in violations(page)}
    assert found == {"label", "color-contrast"}, summary(violations(page))
    page.set_content(FIXED)
    assert violations(page) == []
