"""Signing in to /painel against the emulated Cognito pool: the first sign-in's new
password, a wrong password, the forgotten-password flow, the refresh of an expired
token, sign-out, CSRF and the open-redirect guard; and what each step leaves in the
audit log."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from chalice.test import Client

from app import app
from bemtevi.staff import SignInRefused
from bemtevi.staff.tokens import verify_id_token
from bemtevi.store import audit as audit_log
from functions.dashboard import session, users
from functions.dashboard.audit import PAGE_SIZE, audit
from functions.dashboard.session import Visit
from infra.chalice_config import load
from tests.integration import dashboard_people as people

EMAIL = people.EMAILS["rede"]
DEV_URL = load()["stages"]["dev"]["environment_variables"]["BEMTEVI_PUBLIC_URL"]
"""The public URL as the Chalice test client sets it (the dev stage's)."""


@pytest.fixture
def http(aws):
    people.create_network()
    with Client(app) as client:
        yield client.http


def form_page(http, path: str, cookie: str = "") -> tuple[str, str]:
    """The CSRF token of the form at `path` and the Cookie header that goes with it."""
    response = http.get(path, headers={"cookie": cookie})
    assert response.status_code == 200
    token = people.csrf_of(response.body)
    csrf_cookie = people.cookie_value(response, session.CSRF_COOKIE) or token
    jar = "; ".join(part for part in (cookie, f"{session.CSRF_COOKIE}={csrf_cookie}") if part)
    return token, jar


def post(http, path: str, cookie: str, fields: dict, **headers: str):
    return http.post(
        path,
        headers={"cookie": cookie, "content-type": people.FORM, **headers},
        body=urlencode(fields).encode(),
    )


def jar_of(response, previous: str = "") -> str:
    names = (session.ID_COOKIE, session.ACCESS_COOKIE, session.REFRESH_COOKIE)
    values = {name: people.cookie_value(response, name) for name in names}
    fresh = "; ".join(f"{name}={value}" for name, value in values.items() if value)
    return "; ".join(part for part in (previous, fresh) if part)


def test_first_sign_in_asks_for_a_new_password_then_opens_the_dashboard(http):
    invited = users.invite(people.TENANT_A, "nova@rede-a.com.br", "loja", (people.STORE_A[0],))
    token, jar = form_page(http, "/painel/entrar")
    fields = {"csrf": token, "email": "Nova@Rede-A.com.br", "senha": invited["temporary_password"]}
    step = post(http, "/painel/entrar", jar, {**fields, "next": "/painel"})
    assert step.status_code == 200
    page = step.body.decode()
    assert "Crie sua senha" in page
    assert 'name="sessao"' in page
    assert invited["temporary_password"] not in page

    fields = {
        "csrf": people.csrf_of(page),
        "email": "nova@rede-a.com.br",
        "sessao": page.split('name="sessao" value="')[1].split('"')[0],
        "senha": "Outra-senha-456",
        "confirmacao": "Outra-senha-456",
        "next": "/painel",
    }
    done = post(http, "/painel/nova-senha", jar, fields, origin=DEV_URL)
    assert done.status_code == 303
    assert done.headers["Location"] == "/painel"
    cookies = people.set_cookies(done)
    for name in (session.ID_COOKIE, session.ACCESS_COOKIE, session.REFRESH_COOKIE):
        line = next(c for c in cookies if c.startswith(f"{name}="))
        assert "HttpOnly" in line
        assert "SameSite=Strict" in line
        assert "Path=/painel" in line
        assert "Secure" in line  # the test client serves the dev stage, over HTTPS
    home = http.get("/painel", headers={"cookie": jar_of(done)})
    assert home.status_code == 200
    assert "Loja Alfa" in home.body.decode()
    assert "Loja Beta" not in home.body.decode()

    entries, _ = audit_log.latest(people.TENANT_A, 10)
    assert [(e.action, e.masked_email) for e in entries] == [
        ("password_changed", "n***@rede-a.com.br")
    ]
    claims = people.claims_of(people.cookie_value(done, session.ID_COOKIE))
    assert entries[0].subject == claims["sub"]
    assert users.directory().sign_in("nova@rede-a.com.br", "Outra-senha-456")


def test_a_wrong_password_is_refused_and_audited_without_the_password(http, caplog):
    token, jar = form_page(http, "/painel/entrar")
    refused = post(
        http, "/painel/entrar", jar, {"csrf": token, "email": EMAIL, "senha": "Errada-999x"}
    )
    assert refused.status_code == 401
    assert "E-mail ou senha incorretos." in refused.body.decode()
    assert people.cookie_value(refused, session.ID_COOKIE) is None
    entries, _ = audit_log.latest(people.TENANT_A, 10)
    assert [(e.action, e.masked_email, e.detail) for e in entries] == [
        ("sign_in_failed", "a***@rede-a.com.br", "")
    ]
    assert "Errada-999x" not in caplog.text
    assert EMAIL not in caplog.text


def test_sign_in_and_sign_out_clear_the_session_and_revoke_the_refresh_token(http):
    token, jar = form_page(http, "/painel/entrar")
    signed = post(
        http, "/painel/entrar", jar, {"csrf": token, "email": EMAIL, "senha": people.PASSWORD}
    )
    assert signed.status_code == 303
    jar = jar_of(signed, jar)
    token, _ = form_page(http, "/painel/sair", jar)
    out = post(http, "/painel/sair", jar, {"csrf": token})
    assert out.status_code == 303
    assert out.headers["Location"] == "/painel/entrar?aviso=saiu"
    for name in (session.ID_COOKIE, session.ACCESS_COOKIE, session.REFRESH_COOKIE):
        assert people.cookie_value(out, name) == ""
        assert any(c.startswith(f"{name}=;") and "Max-Age=0" in c for c in people.set_cookies(out))
    refresh = people.cookie_value(signed, session.REFRESH_COOKIE)
    with pytest.raises(SignInRefused):
        users.directory().refresh(refresh)
    entries, _ = audit_log.latest(people.TENANT_A, 10)
    assert [e.action for e in entries] == ["sign_out", "sign_in"]


def test_an_expired_token_is_refreshed_and_its_cookie_set_again(http):
    admin = people.sign_in("rede")
    expired = people.expired(admin.id_token)
    response = http.get("/painel", headers={"cookie": admin.cookie(expired)})
    assert response.status_code == 200
    fresh = people.cookie_value(response, session.ID_COOKIE)
    assert fresh
    assert fresh != expired
    assert verify_id_token(fresh)["email"] == EMAIL
    without_refresh = http.get("/painel", headers={"cookie": admin.cookie(expired, refresh=False)})
    assert without_refresh.status_code == 302


def test_forgotten_password_is_reset_with_the_emailed_code(http):
    token, jar = form_page(http, "/painel/esqueci")
    step = post(http, "/painel/esqueci", jar, {"csrf": token, "email": EMAIL})
    assert step.status_code == 200
    assert "Código recebido por e-mail" in step.body.decode()
    fields = {
        "csrf": token,
        "email": EMAIL,
        "senha": "Nova-senha-789",
        "confirmacao": "Nova-senha-789",
    }
    # moto checks only codes in its own format: this one is wrong
    wrong = post(
        http, "/painel/esqueci/confirmar", jar, {**fields, "codigo": "moto-confirmation-code:1"}
    )
    assert wrong.status_code == 400
    assert "Código inválido ou expirado." in wrong.body.decode()
    done = post(http, "/painel/esqueci/confirmar", jar, {**fields, "codigo": "123456"})
    assert done.status_code == 303
    assert done.headers["Location"] == "/painel/entrar?aviso=redefinida"
    assert users.directory().sign_in(EMAIL, "Nova-senha-789")
    entries, _ = audit_log.latest(people.TENANT_A, 10)
    assert [e.action for e in entries] == ["password_reset"]


@pytest.mark.parametrize(
    ("csrf", "headers"),
    [
        (None, {}),
        ("x" * 43, {}),
        ("genuine", {"origin": "https://evil.example"}),
        ("genuine", {"origin": "null", "sec-fetch-site": "cross-site"}),
    ],
    ids=["without-token", "wrong-token", "foreign-origin", "hidden-origin-cross-site"],
)
def test_forms_without_the_csrf_token_or_from_another_site_are_refused(http, csrf, headers):
    token, jar = form_page(http, "/painel/entrar")
    fields = {"email": EMAIL, "senha": people.PASSWORD}
    if csrf is not None:
        fields["csrf"] = token if csrf == "genuine" else csrf
    refused = post(http, "/painel/entrar", jar, fields, **headers)
    assert refused.status_code == 403
    assert people.cookie_value(refused, session.ID_COOKIE) is None
    assert audit_log.latest(people.TENANT_A, 10)[0] == []


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/painel",
        "//evil.example/painel",
        "/\\evil.example",
        "/painelx",
        "/v1/me",
    ],
)
def test_after_sign_in_only_local_dashboard_paths_are_followed(http, target):
    token, jar = form_page(http, "/painel/entrar")
    fields = {"csrf": token, "email": EMAIL, "senha": people.PASSWORD, "next": target}
    assert post(http, "/painel/entrar", jar, fields).headers["Location"] == "/painel"


def test_a_signed_out_visit_comes_back_to_its_page_after_sign_in(http):
    response = http.get("/painel/auditoria")
    assert response.status_code == 302
    assert response.headers["Location"] == "/painel/entrar?next=/painel/auditoria"
    token, jar = form_page(http, "/painel/entrar?next=/painel/auditoria")
    fields = {"csrf": token, "email": EMAIL, "senha": people.PASSWORD, "next": "/painel/auditoria"}
    assert post(http, "/painel/entrar", jar, fields).headers["Location"] == "/painel/auditoria"


def test_the_audit_page_lists_the_latest_entries_a_page_at_a_time(http):
    admin = people.sign_in("rede")
    manager = session.current({session.ID_COOKIE: admin.id_token}, users.directory()).manager
    for number in range(PAGE_SIZE + 5):
        audit(manager, "export", f"compensacao-{number:03d}.csv", "203.0.113.7")
    first = http.get("/painel/auditoria", headers={"cookie": admin.cookie()}).body.decode()
    assert first.count("<tr><td>") == PAGE_SIZE
    assert "compensacao-054.csv" in first
    assert "compensacao-004.csv" not in first
    assert "<td>a***@rede-a.com.br</td>" in first
    assert f"<td>{EMAIL}" not in first
    assert "203.0.113.7" in first
    cursor = first.split("/painel/auditoria?antes=")[1].split('"')[0]
    second = http.get(f"/painel/auditoria?antes={cursor}", headers={"cookie": admin.cookie()})
    body = second.body.decode()
    assert body.count("<tr><td>") == 5
    assert "compensacao-004.csv" in body
    assert "compensacao-005.csv" not in body


def test_cookies_are_secure_when_the_app_is_served_over_https(monkeypatch):
    monkeypatch.setenv("BEMTEVI_PUBLIC_URL", "https://bemtevi.com.br")
    assert "Secure" in session.cookie(session.ID_COOKIE, "x")
    monkeypatch.setenv("BEMTEVI_PUBLIC_URL", "http://localhost:8000")
    assert "Secure" not in session.cookie(session.ID_COOKIE, "x")
    assert session.safe_next(Visit().path) == "/painel"
