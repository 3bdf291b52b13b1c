"""The customers table: one item collection per customer (its Query returns the
profile with its live lots, the ledger and the messages), plus the aliases that lead a CPF
or phone hash to a customer id, portal link codes and inbound replies; and the sparse
indexes the scheduled jobs read."""

import json
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    Attribute,
    BinaryAttribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.constants import BINARY, LIST
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection

from bemtevi import settings
from bemtevi.domain.ledger import Lot
from bemtevi.store.connection import SharedConnectionModel

# What the readers of the sparse customer indexes use (the message jobs: points, contact,
# opt-outs, last store; the expiry job's conditional update: revision and the dates
# `with_points` compares; metrics: last store and lots), so the index entries stay small
# and an index is rewritten only when one of these changes. Keys are always projected.
JOB_ATTRIBUTES = [
    "kind",
    "tenant_id",
    "customer_id",
    "lots",
    "debt",
    "name",
    "phone",
    "email",
    "last_store",
    "sms_opted_out_at",
    "email_opted_out_at",
    "whatsapp_opted_out_at",
    "revision",
    "next_expiry",
    "warn_at",
    "au",
]


def _job_projection(*own_keys: str) -> IncludeProjection:
    """JOB_ATTRIBUTES but the index's own keys (DynamoDB projects those itself)."""
    return IncludeProjection([name for name in JOB_ATTRIBUTES if name not in own_keys])


class RedeemableIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#redeemable#<0..7>`, `available_from <= now`): customers "
        "whose points reach the cheapest benefit, for the reminder"
    )

    class Meta:
        index_name = "redeemable"
        projection = _job_projection("redeemable_pk", "available_from")

    redeemable_pk = UnicodeAttribute(hash_key=True)
    available_from = UnicodeAttribute(range_key=True)


class ExpiryIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#expiry#<0..7>`): customers with points; `next_expiry <= "
        "now` for the expiry job, all of them for a metrics snapshot"
    )

    class Meta:
        index_name = "expiry"
        projection = _job_projection("expiry_pk", "next_expiry")

    expiry_pk = UnicodeAttribute(hash_key=True)
    next_expiry = UnicodeAttribute(range_key=True)


class OutboxIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#outbox#<0..7>`, `due_at <= now`): messages waiting to "
        "go (queued, held by quiet hours, to retry)"
    )

    class Meta:
        index_name = "outbox"
        projection = AllProjection()

    outbox_pk = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class MessageLogIndex(GlobalSecondaryIndex):
    ACCESS = "Query per shard (`T#<tenant>#M#<local date>#<0..7>`): a day's messages and replies"

    class Meta:
        index_name = "message_log"
        projection = AllProjection()

    log_pk = UnicodeAttribute(hash_key=True)
    logged_at = UnicodeAttribute(range_key=True)


class WarningIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#warning#<0..7>`): customers whose first expiring points "
        "entered the warning period since the last run"
    )

    class Meta:
        index_name = "warning"
        projection = _job_projection("warning_pk", "warn_at")

    warning_pk = UnicodeAttribute(hash_key=True)
    warn_at = UnicodeAttribute(range_key=True)


class AudienceIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#A#<0..7>`), paged: every customer's audience entry "
        "(`au`), what a campaign's segment filters on"
    )

    class Meta:
        index_name = "audience"
        projection = IncludeProjection(["kind", "au"])  # kind: PynamoDB filters on it

    ak = UnicodeAttribute(hash_key=True)


FOLLOW_UP_ATTRIBUTES = [
    *JOB_ATTRIBUTES,
    "balance",
    "birthday",
    "last_purchase_at",
    "last_seller",
    "total_spent",
]
"""What a follow-up list item shows and ranks by (issue 16)."""


class BoughtIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#bought#<0..7>`, `bought_at` between the UTC bounds of a "
        "tenant-local day): the customers whose last purchase was that day (follow-up lists)"
    )

    class Meta:
        index_name = "bought"
        projection = IncludeProjection(
            [n for n in FOLLOW_UP_ATTRIBUTES if n not in ("bought_pk", "bought_at")]
        )

    bought_pk = UnicodeAttribute(hash_key=True)
    bought_at = UnicodeAttribute(range_key=True)


class BirthdayIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query per shard (`T#<tenant>#birthday#<0..7>`, `birthday_md = MM-DD`): today's "
        "birthdays (sparse: customers with a birthday)"
    )

    class Meta:
        index_name = "birthday"
        projection = IncludeProjection(FOLLOW_UP_ATTRIBUTES)

    birthday_pk = UnicodeAttribute(hash_key=True)
    birthday_md = UnicodeAttribute(range_key=True)


class CustomersTable(SharedConnectionModel):
    class Meta:
        table_name = settings.table_name("customers")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class LotMap(MapAttribute):
    """A lot as items written before the compact encoding held it (read only)."""

    lot_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    sale_id = UnicodeAttribute()
    earned_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    pending_until = UTCDateTimeAttribute()
    amount = NumberAttribute()
    remaining = NumberAttribute()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


class LotsAttribute(Attribute[list[Lot]]):
    """A customer's live lots in one compressed binary value: a JSON row per lot, `[id,
    earned, expires - earned, pending - earned, amount, remaining]` (times in
    microseconds since 1970; the store and sale come from an id `<store>:<sale>`, else
    they follow), deflated. About 10 bytes a lot instead of about 220 as a list of maps,
    which the item's write units (and the index writes) pay for on every change. Items
    written as a list of maps are still read."""

    attr_type = BINARY

    def serialize(self, value: list[Lot]) -> bytes:
        return zlib.compress(
            json.dumps([_row(lot) for lot in value], separators=(",", ":")).encode(), 9
        )

    def deserialize(self, value: Any) -> list[Lot]:
        if isinstance(value, list):
            legacy = ListAttribute(of=LotMap).deserialize(value)
            return [Lot(**{name: getattr(lot, name) for name in Lot.__dataclass_fields__})
                    for lot in legacy]  # fmt: skip
        return [_lot(row) for row in json.loads(zlib.decompress(value))]

    def get_value(self, value: dict[str, Any]) -> Any:
        return value[LIST] if LIST in value else super().get_value(value)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICRO


def _row(lot: Lot) -> list:
    earned = _micros(lot.earned_at)
    row = [
        lot.lot_id,
        earned,
        _micros(lot.expires_at) - earned,
        _micros(lot.pending_until) - earned,
        lot.amount,
        lot.remaining,
    ]
    if lot.lot_id != f"{lot.store_id}:{lot.sale_id}":
        row += [lot.store_id, lot.sale_id]
    return row


def _lot(row: list) -> Lot:
    lot_id, earned, expires, pending, amount, remaining, *named = row
    store_id, sale_id = named if named else lot_id.split(":", 1)
    earned_at = _EPOCH + earned * _MICRO
    return Lot(
        lot_id=lot_id,
        store_id=store_id,
        sale_id=sale_id,
        earned_at=earned_at,
        expires_at=earned_at + expires * _MICRO,
        pending_until=earned_at + pending * _MICRO,
        amount=amount,
        remaining=remaining,
    )


class CustomerRecord(CustomersTable, discriminator="customer"):
    ACCESS = "GetItem / TransactGet: profile, live lots, debt, aggregates, revision"

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    cpf = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    phone_hash = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    birthday = UnicodeAttribute(null=True)
    lots = LotsAttribute(default=list)
    balance = NumberAttribute(default=0)
    debt = NumberAttribute(default=0)
    first_credit_at = UTCDateTimeAttribute(null=True)
    first_purchase_at = UTCDateTimeAttribute(null=True)
    last_purchase_at = UTCDateTimeAttribute(null=True)
    visits = NumberAttribute(default=0)
    total_spent = NumberAttribute(default=0)
    average_ticket = NumberAttribute(default=0)
    last_store = UnicodeAttribute(null=True)
    last_seller = UnicodeAttribute(null=True)
    purchase_stores = UnicodeSetAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    redeemable_pk = UnicodeAttribute(null=True)
    available_from = UnicodeAttribute(null=True)
    expiry_pk = UnicodeAttribute(null=True)
    next_expiry = UnicodeAttribute(null=True)
    warning_pk = UnicodeAttribute(null=True)
    warn_at = UnicodeAttribute(null=True)
    sms_opted_out_at = UTCDateTimeAttribute(null=True)
    email_opted_out_at = UTCDateTimeAttribute(null=True)
    whatsapp_opted_out_at = UTCDateTimeAttribute(null=True)
    revision = VersionAttribute()
    ak = UnicodeAttribute(null=True)
    au = BinaryAttribute(null=True, legacy_encoding=False)
    cm = UnicodeAttribute(null=True)
    bought_pk = UnicodeAttribute(null=True)
    bought_at = UnicodeAttribute(null=True)
    birthday_pk = UnicodeAttribute(null=True)
    birthday_md = UnicodeAttribute(null=True)

    redeemable = RedeemableIndex()
    audience = AudienceIndex()
    expiring = ExpiryIndex()
    warning = WarningIndex()
    bought = BoughtIndex()
    birthdays = BirthdayIndex()

    def opted_out(self) -> set[str]:
        return {
            channel
            for channel in ("sms", "email", "whatsapp")
            if getattr(self, f"{channel}_opted_out_at") is not None
        }

    @staticmethod
    def keys(tenant_id: str, customer_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#C#{customer_id}", "CUSTOMER"


class LedgerRecord(CustomersTable, discriminator="ledger"):
    ACCESS = "Query: the customer's history"

    entry_id = UnicodeAttribute()
    entry_kind = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    points = NumberAttribute()
    store_id = UnicodeAttribute()
    sale_id = UnicodeAttribute(null=True)
    lots: MapAttribute[str, Any] = MapAttribute(default=dict)
    debt = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)  # why a manager adjusted the points

    @staticmethod
    def keys(tenant_id: str, customer_id: str, occurred_at: str, entry_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#C#{customer_id}", f"LEDGER#{occurred_at}#{entry_id}"


class AdjustmentRecord(CustomersTable, discriminator="adjustment"):
    """A manual adjustment of the customer's points, by the id its form (or the CLI)
    gave it: written with the ledger entry on condition it is new, so a form submitted
    twice adjusts once; it keeps the answer a repeat gets."""

    ACCESS = "conditional Put with the adjustment's ledger entry; GetItem: a repeat's answer"

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    adjustment_id = UnicodeAttribute()
    points = NumberAttribute()
    reason = UnicodeAttribute()
    store_id = UnicodeAttribute()
    actor = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    response = UnicodeAttribute()

    @staticmethod
    def keys(tenant_id: str, customer_id: str, adjustment_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#C#{customer_id}", f"ADJUST#{adjustment_id}"


class MessageRecord(CustomersTable, discriminator="message"):
    """One automatic message to one customer, kind and period: written (on condition it
    does not exist) before anything is sent, so nothing goes twice. Status: queued
    (waiting in the outbox), sending (claimed), sent, failed, skipped (no channel left,
    or the customer opted out)."""

    ACCESS = "conditional Put: at most one per customer, kind and period; the attempt's record"

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    message_kind = UnicodeAttribute()
    period = UnicodeAttribute()
    status = UnicodeAttribute()
    channel = UnicodeAttribute(null=True)
    store_id = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    provider_message_id = UnicodeAttribute(null=True)
    segments = NumberAttribute(default=0)
    cost = NumberAttribute(default=0)
    error = UnicodeAttribute(null=True)
    link_code = UnicodeAttribute(null=True)
    contact = UnicodeAttribute(null=True)  # masked ("(11) *****-4321"), for the dashboard
    created_at = UTCDateTimeAttribute()
    claimed_at = UTCDateTimeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    outbox_pk = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    log_pk = UnicodeAttribute(null=True)
    logged_at = UnicodeAttribute(null=True)
    points_earned = NumberAttribute(null=True)

    outbox = OutboxIndex()
    log = MessageLogIndex()

    @staticmethod
    def keys(tenant_id: str, customer_id: str, kind: str, period: str) -> tuple[str, str]:
        return f"T#{tenant_id}#C#{customer_id}", f"MSG#{kind}#{period}"


class ReplyRecord(CustomersTable, discriminator="reply"):
    """An inbound SMS that was not an opt-out (kept for a later conversation view), or
    one that was (with `opted_out`)."""

    ACCESS = (
        "conditional Put: an inbound SMS, once; partition: the customer's "
        "(`T#<tenant>#C#<customer id>`), or `T#<tenant>#N#<phone hash>` for an unknown number"
    )

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute(null=True)
    text = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()
    opted_out = BooleanAttribute(default=False)
    store_id = UnicodeAttribute(null=True)  # routed to the customer's last purchase's store
    log_pk = UnicodeAttribute(null=True)
    logged_at = UnicodeAttribute(null=True)

    log = MessageLogIndex()

    @staticmethod
    def keys(partition: str, reply_id: str) -> tuple[str, str]:
        return partition, f"REPLY#{reply_id}"


class LinkRecord(CustomersTable, discriminator="link"):
    """A short code of a message's portal link; DynamoDB's TTL removes it after expiry."""

    ACCESS = "GetItem: `/l/<code>`; removed by TTL after it expires"

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute()
    expires = TTLAttribute()

    @staticmethod
    def keys(code: str) -> tuple[str, str]:
        return f"L#{code}", "LINK"


class AliasRecord(CustomersTable, discriminator="alias"):
    ACCESS = "GetItem / TransactGet: a CPF or phone (`<kind>`: cpf, phone) to the customer id"

    customer_id = UnicodeAttribute()

    @staticmethod
    def keys(tenant_id: str, kind: str, identity_hash: str) -> tuple[str, str]:
        return f"T#{tenant_id}#ID#{kind}#{identity_hash}", "ALIAS"


class SuppressionRecord(CustomersTable, discriminator="suppression"):
    """An opt-out keyword from a number no customer had: honoured (the customer's SMS
    turned off) when a customer later gets the number. Keyed by the number's hash only."""

    ACCESS = "Put: an opt-out from an unknown number; GetItem before an SMS goes"

    tenant_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, phone_hash: str) -> tuple[str, str]:
        return f"T#{tenant_id}#N#{phone_hash}", "SUPPRESSED"


class ErasureRecord(CustomersTable, discriminator="erasure"):
    """The receipt of an erasure (LGPD), without personal data: the pseudonymous id, who
    asked (portal, ops), when, and what each step removed."""

    ACCESS = "Put: an erasure's receipt; Query `T#<tenant>#ERASURES` newest first: the list"

    tenant_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    source = UnicodeAttribute()
    status = UnicodeAttribute()
    erased_at = UTCDateTimeAttribute()
    items: MapAttribute[str, Any] = MapAttribute(default=dict)

    @staticmethod
    def keys(tenant_id: str, erased_at: str, customer_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#ERASURES", f"{erased_at}#{customer_id}"
