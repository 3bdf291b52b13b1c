"""What every settings form of the dashboard does alike: the page carries the CSRF token
(and sets its cookie when the visitor had none); a form that is not genuine is refused
(403) before anything is read or written; a refused value comes back next to its field
with the message of the very function the CLI calls; another tenant's object is 404; a
change that went through is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bemtevi.domain.staff import Manager
from bemtevi.errors import BemteviError, NotFound
from functions.dashboard import session
from functions.dashboard.audit import audit
from functions.dashboard.common import problem, rendered
from functions.dashboard.session import Visit
from functions.dashboard.signin import REFUSED_FORM, with_cookies
from functions.portal.pages import Page

Result = TypeVar("Result")
Errors = dict[str, str]
FORM_FIELD = ""
"""The key of an error that belongs to the whole form, not to one field."""


def form_page(
    manager: Manager,
    visit: Visit,
    href: str,
    template: str,
    title: str,
    status: int = 200,
    **context: object,
) -> Page:
    token, csrf_cookie = session.csrf_token(visit.cookies)
    answer = rendered(
        manager, href, template, title, status, csrf=token, campo_csrf=session.CSRF_FIELD, **context
    )
    return with_cookies(answer, csrf_cookie)


def submitted(
    manager: Manager,
    visit: Visit,
    change: Callable[[], Result],
    detail: str,
    again: Callable[[int, Errors], Page],
    then: Callable[[Result], Page],
) -> Page:
    """`then(result of change)` for a genuine form, audited as a change; otherwise
    `again(status, errors)` to show the form again, or 404."""
    if not session.form_is_genuine(visit):
        return again(403, {FORM_FIELD: REFUSED_FORM})
    try:
        result = change()
    except NotFound as error:
        return problem(manager, "", error)
    except BemteviError as error:
        if error.status >= 500:
            raise
        return again(error.status, {error.field or FORM_FIELD: error.message})
    audit(manager, "change", detail, visit.source_ip)
    return then(result)
