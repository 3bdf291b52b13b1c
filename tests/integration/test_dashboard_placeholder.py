"""`/painel` has its blueprint before its pages: a clean 404 page, never a stack trace."""

import pytest


@pytest.mark.parametrize("path", ["/painel", "/painel/campanhas"])
def test_the_dashboard_answers_a_clean_404_page(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in response.headers
    page = response.body.decode()
    assert "Painel da rede" in page
    assert "ainda não está disponível" in page
