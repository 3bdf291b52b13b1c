"""The audit log of manager actions (sign-in, sign-out, password changes, exports...): one
item per action in the network table, under one partition per tenant, sorted by time, so
the latest entries are one Query read backwards. Who is a subject and a masked e-mail;
never a full e-mail, CPF or phone. Manager actions are a handful per minute per tenant:
one partition holds them with room to spare."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from bemtevi.store.models import AuditRecord


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    subject: str
    masked_email: str
    action: str
    detail: str
    source_ip: str


def record(
    tenant_id: str,
    at: datetime,
    subject: str,
    masked_email: str,
    action: str,
    detail: str,
    source_ip: str,
) -> None:
    pk, sk = AuditRecord.keys(
        tenant_id, at.isoformat(timespec="microseconds"), secrets.token_hex(4)
    )
    AuditRecord(
        pk,
        sk,
        tenant_id=tenant_id,
        at=at,
        subject=subject,
        masked_email=masked_email,
        action=action,
        detail=detail,
        source_ip=source_ip,
    ).save()


def latest(
    tenant_id: str, limit: int, before: str | None = None
) -> tuple[list[AuditEntry], str | None]:
    """Up to `limit` entries, newest first, older than the cursor `before`; and the cursor
    of the next page (None on the last)."""
    pk, _ = AuditRecord.keys(tenant_id, "", "")
    condition = AuditRecord.sk < before if before else AuditRecord.sk.startswith("AT#")
    records = list(AuditRecord.query(pk, condition, scan_index_forward=False, limit=limit + 1))
    entries = [
        AuditEntry(r.at, r.subject, r.masked_email, r.action, r.detail, r.source_ip)
        for r in records[:limit]
    ]
    cursor = records[limit - 1].sk if len(records) > limit else None
    return entries, cursor
