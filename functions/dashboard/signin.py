"""The sign-in pages: /painel/entrar (e-mail and password), the first sign-in's new
password, "esqueci minha senha" (Cognito's code by e-mail, then a new password) and
/painel/sair. Every form carries the CSRF token; every outcome is audited."""

from __future__ import annotations

import contextlib
from urllib.parse import quote

from bemtevi.domain.staff import Manager, manager_from_claims
from bemtevi.staff import (
    Challenge,
    CodeRejected,
    PasswordRejected,
    StaffDirectory,
    StaffError,
    Tokens,
    TooManyAttempts,
)
from bemtevi.staff.tokens import verify_id_token
from bemtevi.web import SECURITY_HEADERS, page
from functions.dashboard import session
from functions.dashboard.audit import audit, audit_failed_sign_in
from functions.dashboard.navigation import nav_for
from functions.dashboard.session import Visit
from functions.dashboard.users import directory
from functions.portal.pages import Page

NOTICES = {
    "saiu": "Você saiu do painel.",
    "redefinida": "Senha redefinida. Entre com a nova senha.",
}
WEAK = "Senha fraca: use ao menos 10 caracteres, com maiúsculas, minúsculas e números."
REFUSED_FORM = "O formulário expirou ou veio de outro site. Recarregue a página e tente de novo."


def _form_page(
    template: str, visit: Visit, status: int = 200, cookies: tuple[str, ...] = (), **context: object
) -> Page:
    token, csrf_cookie = session.csrf_token(visit.cookies)
    body = page(template, csrf=token, campo_csrf=session.CSRF_FIELD, **context)
    return with_cookies(Page(status, body), (*csrf_cookie, *cookies))


def with_cookies(answer: Page, cookies: tuple[str, ...]) -> Page:
    if not cookies:
        return answer
    existing: str | list[str] = answer.headers.get("Set-Cookie", [])
    earlier = [existing] if isinstance(existing, str) else list(existing)
    headers: dict = {**answer.headers, "Set-Cookie": [*earlier, *cookies]}
    return Page(answer.status, answer.body, headers)


def redirect(location: str, cookies: tuple[str, ...] = ()) -> Page:
    return with_cookies(Page(303, "", {**SECURITY_HEADERS, "Location": location}), cookies)


def to_sign_in(path: str, cookies: tuple[str, ...] = ()) -> Page:
    """Where a signed-out visitor of `path` goes (302, back to `path` after signing in)."""
    target = session.safe_next(path)
    location = "/painel/entrar" + (f"?next={quote(target)}" if target != "/painel" else "")
    return with_cookies(Page(302, "", {**SECURITY_HEADERS, "Location": location}), cookies)


def sign_in_form(visit: Visit, error: str = "", status: int = 200, email: str = "") -> Page:
    return _form_page(
        "painel/entrar.html",
        visit,
        status,
        erro=error,
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
        email=email,
        proximo=session.safe_next(visit.query.get("next") or visit.form.get("next")),
    )


def sign_in(visit: Visit) -> Page:
    if not session.form_is_genuine(visit):
        return sign_in_form(visit, REFUSED_FORM, 403)
    email = visit.form.get("email", "").strip().lower()
    password = visit.form.get("senha", "")
    if not email or not password:
        return sign_in_form(visit, "Informe o e-mail e a senha.", 400, email)
    staff = directory()
    try:
        outcome = staff.sign_in(email, password)
    except TooManyAttempts:
        return sign_in_form(visit, "Muitas tentativas. Espere alguns minutos.", 429, email)
    except StaffError:
        audit_failed_sign_in(staff, email, visit.source_ip)
        return sign_in_form(visit, "E-mail ou senha incorretos.", 401, email)
    if isinstance(outcome, Challenge):
        return _new_password_form(visit, email, outcome.session)
    return _signed_in(visit, outcome, "sign_in")


def _signed_in(visit: Visit, tokens: Tokens, action: str) -> Page:
    manager = manager_from_claims(verify_id_token(tokens.id_token))
    audit(manager, action, "", visit.source_ip)
    target = session.safe_next(visit.form.get("next"))
    return redirect(target, session.session_cookies(tokens))


def _new_password_form(
    visit: Visit, email: str, cognito_session: str, error: str = "", status: int = 200
) -> Page:
    return _form_page(
        "painel/nova_senha.html",
        visit,
        status,
        email=email,
        sessao=cognito_session,
        erro=error,
        proximo=session.safe_next(visit.form.get("next")),
    )


def new_password(visit: Visit) -> Page:
    email = visit.form.get("email", "").strip().lower()
    cognito_session = visit.form.get("sessao", "")
    if not session.form_is_genuine(visit):
        return sign_in_form(visit, REFUSED_FORM, 403)
    password, again = visit.form.get("senha", ""), visit.form.get("confirmacao", "")
    if password != again:
        return _new_password_form(visit, email, cognito_session, "As senhas não conferem.", 400)
    try:
        tokens = directory().answer_new_password(email, cognito_session, password)
    except PasswordRejected:
        return _new_password_form(visit, email, cognito_session, WEAK, 400)
    except StaffError:
        return sign_in_form(visit, "A etapa expirou. Entre de novo com a senha temporária.", 401)
    return _signed_in(visit, tokens, "password_changed")


def forgot_form(visit: Visit, error: str = "", status: int = 200) -> Page:
    return _form_page("painel/esqueci.html", visit, status, erro=error)


def forgot(visit: Visit) -> Page:
    if not session.form_is_genuine(visit):
        return forgot_form(visit, REFUSED_FORM, 403)
    email = visit.form.get("email", "").strip().lower()
    if not email:
        return forgot_form(visit, "Informe o e-mail.", 400)
    try:
        directory().forgot_password(email)
    except TooManyAttempts:
        return forgot_form(visit, "Muitas tentativas. Espere alguns minutos.", 429)
    except StaffError:
        pass  # the same answer whether or not the e-mail has an account
    return _confirm_form(visit, email)


def _confirm_form(visit: Visit, email: str, error: str = "", status: int = 200) -> Page:
    return _form_page("painel/esqueci_confirmar.html", visit, status, email=email, erro=error)


def confirm_forgot(visit: Visit) -> Page:
    email = visit.form.get("email", "").strip().lower()
    if not session.form_is_genuine(visit):
        return forgot_form(visit, REFUSED_FORM, 403)
    code, password = visit.form.get("codigo", ""), visit.form.get("senha", "")
    if not code or password != visit.form.get("confirmacao", ""):
        return _confirm_form(visit, email, "Informe o código e repita a mesma senha.", 400)
    staff = directory()
    try:
        staff.confirm_forgot_password(email, code, password)
    except CodeRejected:
        return _confirm_form(visit, email, "Código inválido ou expirado.", 400)
    except PasswordRejected:
        return _confirm_form(visit, email, WEAK, 400)
    except StaffError:
        return _confirm_form(visit, email, "Não foi possível redefinir a senha.", 400)
    _audit_reset(staff, email, visit.source_ip)
    return redirect("/painel/entrar?aviso=redefinida")


def _audit_reset(staff: StaffDirectory, email: str, source_ip: str) -> None:
    try:
        user = staff.get_user(email)
    except StaffError:
        return
    manager = Manager(user.subject, user.email, user.tenant_id, user.role, frozenset(user.stores))
    audit(manager, "password_reset", "", source_ip)


def sign_out_form(manager: Manager, visit: Visit) -> Page:
    return _form_page(
        "painel/sair.html",
        visit,
        title="Sair",
        manager=manager,
        nav=nav_for(manager, "/painel/sair"),
    )


def sign_out(manager: Manager, visit: Visit) -> Page:
    if not session.form_is_genuine(visit):
        return _form_page(
            "painel/sair.html",
            visit,
            403,
            title="Sair",
            manager=manager,
            nav=nav_for(manager, "/painel/sair"),
            erro=REFUSED_FORM,
        )
    with contextlib.suppress(StaffError):  # already revoked: the cookies go anyway
        directory().sign_out(manager.email)
    audit(manager, "sign_out", "", visit.source_ip)
    return redirect("/painel/entrar?aviso=saiu", session.cleared_cookies())
