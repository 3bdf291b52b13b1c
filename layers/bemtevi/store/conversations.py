"""Repository of a customer's conversation: the inbound texts (`REPLY#<id>`) kept in the
customer's partition and, once conversations are answered, the thread (`THREAD`) and the
answers (`MSG#answer#<form id>`). `erase_conversations` deletes them all, for the LGPD
erasure."""

from __future__ import annotations

from bemtevi.store.models import CustomerRecord, CustomersTable

CONVERSATION_PREFIXES = ("REPLY#", "THREAD", "MSG#answer#")
"""Sort-key prefixes of every conversation item in a customer's partition."""


def erase_conversations(tenant_id: str, customer_id: str) -> int:
    """Delete every conversation item of the customer (inbound texts, thread, answers):
    one Query per prefix in the customer's own partition, deletes on the keys found.
    Returns how many items were deleted; running it again deletes nothing more."""
    partition, _ = CustomerRecord.keys(tenant_id, customer_id)
    found = [
        item
        for prefix in CONVERSATION_PREFIXES
        for item in CustomersTable.query(partition, CustomersTable.sk.startswith(prefix))
    ]
    with CustomersTable.batch_write() as batch:
        for item in found:
            batch.delete(item)
    return len(found)
