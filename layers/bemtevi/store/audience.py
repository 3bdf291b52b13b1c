"""Reader of the audience index: one shard of a tenant's customers at a time, each with
its audience entry (bemtevi.domain.audience), paged like the message jobs (a page and
the key the next one starts from). Every customer with an entry is in exactly one
shard, so reading all shards reads each customer once."""

from __future__ import annotations

from dataclasses import dataclass

from bemtevi.domain.audience import AudienceEntry, decode
from bemtevi.store.customers import INDEX_SHARDS, page_of
from bemtevi.store.models import CustomerRecord

AUDIENCE_SHARDS: int = INDEX_SHARDS


@dataclass(frozen=True)
class AudienceRow:
    customer_id: str
    entry: AudienceEntry


def audience_page(
    tenant_id: str, shard: int, start: dict | None, limit: int = 500
) -> tuple[list[AudienceRow], dict | None]:
    """A page of one shard (0 to AUDIENCE_SHARDS - 1), eventually consistent, and where
    the next page starts (None after the last)."""
    results = CustomerRecord.audience.query(
        f"T#{tenant_id}#A#{shard}", last_evaluated_key=start, limit=limit
    )
    page, after = page_of(results, limit)
    return [
        AudienceRow(_customer_id(record.pk), decode(record.au)) for record in page if record.au
    ], after


def _customer_id(pk: str) -> str:
    """`T#<tenant>#C#<customer id>`: the index projects the keys, not `customer_id`."""
    return pk.split("#C#", 1)[1]
