"""`/painel` paths without a page: a signed-out visitor is sent to sign in; a signed-in
one gets a clean 404 page, never a stack trace."""

import pytest

from tests.integration import dashboard_people as people


@pytest.mark.parametrize("path", ["/painel/nada-aqui", "/painel/qualquer-coisa"])
def test_a_path_without_a_page_answers_a_clean_404_page(aws, api, path):
    people.create_network()
    signed_in = {"cookie": people.sign_in("rede").cookie()}
    response = api.get(path, headers=signed_in)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in response.headers
    page = response.body.decode()
    assert "Não encontrado" in page
    assert "Esta página do painel não existe." in page
    assert 'href="/painel"' in page


@pytest.mark.parametrize("path", ["/painel", "/painel/campanhas"])
def test_a_signed_out_visitor_is_sent_to_sign_in(aws, api, path):
    response = api.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/painel/entrar")
    assert "Content-Security-Policy" in response.headers
