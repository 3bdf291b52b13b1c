"""Repository of a customer's erasure (LGPD): each kind of item that can point back to
the person has its own step, so a new kind (e.g. conversation threads) is one more
function in `ERASURE_STEPS`. Every step is a Query of the customer's own partition or a
delete/update on known keys; running the erasure again finishes what a failed run left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist

from bemtevi.store.models import (
    AliasRecord,
    CustomerRecord,
    CustomersTable,
    ErasureRecord,
    LinkRecord,
    MessageRecord,
    ReplyRecord,
    SuppressionRecord,
)

PERSONAL_FIELDS = ("cpf", "phone", "phone_hash", "name", "email", "birthday")
INDEXED_FIELDS = ("ak", "au", "bought_pk", "bought_at", "birthday_pk", "birthday_md")
"""The audience entry (it holds the birthday and the channels) and the follow-up index
keys: an erased customer leaves segments and salespeople's lists too."""


def partition_items(tenant_id: str, customer_id: str) -> list[CustomersTable]:
    """Every item of the customer's partition (profile, ledger, messages, replies)."""
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    return list(CustomersTable.query(pk, consistent_read=True))


def _delete_aliases(
    tenant_id: str, record: CustomerRecord, items: list, hashes: dict[str, str]
) -> int:
    """The CPF and phone aliases that still name this customer."""
    deleted = 0
    for kind, hashed in hashes.items():
        alias = AliasRecord(*AliasRecord.keys(tenant_id, kind, hashed))
        try:
            alias.delete(condition=AliasRecord.customer_id == record.customer_id)
            deleted += 1
        except DeleteError as error:  # absent, or another customer's by now
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
    return deleted


def _delete_links(tenant_id: str, record: CustomerRecord, items: list, hashes: dict) -> int:
    """The portal links the customer's messages carried."""
    codes = {item.link_code for item in items if isinstance(item, MessageRecord) and item.link_code}
    for code in codes:
        LinkRecord(*LinkRecord.keys(code)).delete()
    return len(codes)


def _delete_replies(tenant_id: str, record: CustomerRecord, items: list, hashes: dict) -> int:
    """What the customer wrote back (texts)."""
    replies = [item for item in items if isinstance(item, ReplyRecord)]
    for reply in replies:
        reply.delete()
    return len(replies)


def _delete_number_replies(
    tenant_id: str, record: CustomerRecord, items: list, hashes: dict
) -> int:
    """What the number wrote before a customer had it (the suppression item stays: an
    opt-out is honoured by the number's hash alone)."""
    if "phone" not in hashes:
        return 0
    partition = f"T#{tenant_id}#N#{hashes['phone']}"
    replies = list(ReplyRecord.query(partition, ReplyRecord.sk.startswith("REPLY#")))
    for reply in replies:
        reply.delete()
    return len(replies)


def _strip_messages(tenant_id: str, record: CustomerRecord, items: list, hashes: dict) -> int:
    """Messages sent stay (cost and outcome, pseudonymous) without contact or link."""
    stripped = 0
    for item in items:
        if isinstance(item, MessageRecord) and (item.contact or item.link_code):
            item.update(actions=[MessageRecord.contact.remove(), MessageRecord.link_code.remove()])
            stripped += 1
    return stripped


def _erase_profile(tenant_id: str, record: CustomerRecord, items: list, hashes: dict) -> int:
    """Personal fields off the customer item; points, aggregates and ledger stay."""
    fields = (*PERSONAL_FIELDS, *INDEXED_FIELDS)
    actions = [getattr(CustomerRecord, name).remove() for name in fields]
    record.update(actions=actions)
    return 1


EraseStep = Callable[[str, CustomerRecord, list, dict[str, str]], int]

ERASURE_STEPS: dict[str, EraseStep] = {
    "aliases": _delete_aliases,
    "links": _delete_links,
    "replies": _delete_replies,
    "number_replies": _delete_number_replies,
    "messages": _strip_messages,
    "profile": _erase_profile,
}
"""Kind of item -> the step that erases it (the profile last: its fields find the rest)."""


def erase(
    tenant_id: str, customer_id: str, hashes: dict[str, str], now: datetime, source: str = "ops"
) -> dict:
    """Run every step, then keep the receipt; what each removed or changed, by kind."""
    items = partition_items(tenant_id, customer_id)
    record = next(item for item in items if isinstance(item, CustomerRecord))
    done = {kind: step(tenant_id, record, items, hashes) for kind, step in ERASURE_STEPS.items()}
    keys = ErasureRecord.keys(tenant_id, now.isoformat(), customer_id)
    ErasureRecord(
        *keys,
        tenant_id=tenant_id,
        customer_id=customer_id,
        source=source,
        status="done",
        erased_at=now,
        items=done,
    ).save()
    return done


def erasures(tenant_id: str, limit: int = 50) -> list[ErasureRecord]:
    """The tenant's latest erasure receipts, newest first (for the dashboard)."""
    query = ErasureRecord.query(f"T#{tenant_id}#ERASURES", scan_index_forward=False, limit=limit)
    return list(query)


def suppress(tenant_id: str, phone_hash: str, now: datetime) -> None:
    """Remember an SMS opt-out from a number no customer has."""
    SuppressionRecord(
        *SuppressionRecord.keys(tenant_id, phone_hash), tenant_id=tenant_id, channel="sms", at=now
    ).save()


def is_suppressed(tenant_id: str, phone_hash: str) -> bool:
    try:
        SuppressionRecord.get(*SuppressionRecord.keys(tenant_id, phone_hash))
    except DoesNotExist:
        return False
    return True
