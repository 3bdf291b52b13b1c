"""The audit of manager actions: who (subject and masked e-mail), when, what, from where.
Sign-in, failed sign-in (never the password), sign-out and password changes are recorded
by the sign-in pages; later pages call `audit` for exports and changes. Network admins
read the log at /painel/auditoria."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain.customers import masked_email
from bemtevi.domain.staff import Manager
from bemtevi.observability import logger
from bemtevi.staff import StaffDirectory, StaffError
from bemtevi.store import audit as audit_log
from bemtevi.web import page
from functions.dashboard.navigation import nav_for
from functions.portal.pages import Page

PAGE_SIZE = 50
ACTIONS = {
    "sign_in": "Entrou no painel",
    "sign_in_failed": "Tentativa de entrada recusada",
    "sign_out": "Saiu do painel",
    "password_changed": "Definiu a senha no primeiro acesso",
    "password_reset": "Redefiniu a senha",
    "export": "Exportou dados",
    "change": "Alterou dados",
    "lookup": "Consultou cliente",
}


def audit(
    manager: Manager,
    action: str,
    detail: str = "",
    source_ip: str = "",
    now: datetime | None = None,
) -> None:
    """Record one action of a signed-in manager in their tenant's log."""
    audit_log.record(
        manager.tenant_id,
        now or datetime.now(UTC),
        manager.subject,
        masked_email(manager.email),
        action,
        detail,
        source_ip,
    )
    logger.info("manager action", extra={"action": action, "tenant": manager.tenant_id})


def audit_failed_sign_in(directory: StaffDirectory, email: str, source_ip: str) -> None:
    """A refused sign-in, in the log of the tenant of the user it named (an unknown
    e-mail has no tenant: it is only counted in the logs)."""
    try:
        user = directory.get_user(email)
    except StaffError:
        logger.info("sign-in refused for an unknown user")
        return
    audit_log.record(
        user.tenant_id,
        datetime.now(UTC),
        user.subject,
        masked_email(user.email),
        "sign_in_failed",
        "",
        source_ip,
    )
    logger.info("sign-in refused", extra={"tenant": user.tenant_id})


def audit_page(manager: Manager, query: Mapping[str, str]) -> Page:
    """The tenant's latest entries, newest first, `PAGE_SIZE` a page."""
    before = query.get("antes") or None
    if before is not None and not before.startswith("AT#"):
        before = None
    entries, cursor = audit_log.latest(manager.tenant_id, PAGE_SIZE, before)
    zone = ZoneInfo(settings.DEFAULT_TIMEZONE)
    rows = [
        {
            "quando": entry.at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
            "quem": entry.masked_email,
            "acao": ACTIONS.get(entry.action, entry.action),
            "detalhe": entry.detail,
            "origem": entry.source_ip,
        }
        for entry in entries
    ]
    body = page(
        "painel/auditoria.html",
        title="Auditoria",
        manager=manager,
        nav=nav_for(manager, "/painel/auditoria"),
        linhas=rows,
        proxima=cursor,
        primeira=before is None,
    )
    return Page(200, body)
