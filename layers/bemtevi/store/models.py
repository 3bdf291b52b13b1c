"""PynamoDB models, one root model per table. Keys never hold a CPF or a phone number:
customers are keyed by an id derived from a keyed hash (bemtevi.domain.customers).

network: a tenant's configuration, read on every request but written rarely. customers:
one item collection per customer (its Query returns everything). sales: what the POS
posted, per store, and what is summed from it.

Each record model's `keys()` builds its pk and sk, and its `ACCESS` says which calls read
or write it: `python -m infra.key_tables` renders them, with the indexes, into the key
tables of docs/data.md (a test fails when those are stale), as `python -m infra.template`
renders the tables into infra/stateful.json.
"""

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
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.constants import BINARY, LIST
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from bemtevi import settings
from bemtevi.domain.ledger import Lot
from bemtevi.store.connection import SharedConnectionModel


def _strings(**options: Any) -> ListAttribute[str]:
    """A list of strings. pynamodb types `of` as the element type, so a list declared with
    `of=UnicodeAttribute` would read as list[UnicodeAttribute]; its items are str."""
    return ListAttribute(
        of=UnicodeAttribute,  # type: ignore[arg-type]  # pynamodb types `of` as the item type
        **options,
    )


class NetworkTable(SharedConnectionModel):
    class Meta:
        table_name = settings.table_name("network")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class SealedSecretMap(MapAttribute):
    version = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    encrypted_data_key = BinaryAttribute(legacy_encoding=False)
    nonce = BinaryAttribute(legacy_encoding=False)
    ciphertext = BinaryAttribute(legacy_encoding=False)


class TenantRecord(NetworkTable, discriminator="tenant"):
    ACCESS = "BatchGetItem with its configuration: name, time zone, sealed pepper (cached)"

    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    timezone = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    pepper = SealedSecretMap()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", "TENANT"


class TenantEntryRecord(NetworkTable, discriminator="tenant_entry"):
    """One item per tenant under one key, so scheduled jobs can list the tenants with a
    Query (a handful of items, never a read of the whole table)."""

    ACCESS = "Query: every tenant, for the schedules"

    tenant_id = UnicodeAttribute()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return "TENANTS", f"TENANT#{tenant_id}"


class StoreRecord(NetworkTable, discriminator="store"):
    ACCESS = 'Query `begins_with(sk, "STORE#")`: the stores of a tenant'

    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    name = UnicodeAttribute()
    key_id = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, store_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"STORE#{store_id}"


class StoreKeyRecord(NetworkTable, discriminator="store_key"):
    ACCESS = "GetItem: authenticate a signed request (carries tenant and store; cached per Lambda)"

    key_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    secrets = ListAttribute(of=SealedSecretMap)
    revision = VersionAttribute()

    @staticmethod
    def keys(key_id: str) -> tuple[str, str]:
        return f"KEY#{key_id}", "KEY"


class ProgramRecord(NetworkTable, discriminator="program"):
    ACCESS = "BatchGetItem with the tenant: points rules (cached per Lambda)"

    points_per_real_milli = NumberAttribute()
    validity_days = NumberAttribute()
    pending_days = NumberAttribute()
    store_points_per_real_milli: MapAttribute[str, Any] = MapAttribute(default=dict)
    category_multiplier_milli: MapAttribute[str, Any] = MapAttribute(default=dict)
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", "PROGRAM"


class ProductRecord(NetworkTable, discriminator="product"):
    ACCESS = "GetItem; BatchWriteItem from the ERP sync"

    sku = UnicodeAttribute()
    name = UnicodeAttribute()
    brand = UnicodeAttribute(null=True)
    category = UnicodeAttribute(null=True)
    price = NumberAttribute()
    cost = NumberAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, sku: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"PRODUCT#{sku}"


class BenefitMap(MapAttribute):
    benefit_id = UnicodeAttribute()
    description = UnicodeAttribute()
    benefit_kind = UnicodeAttribute()
    points = NumberAttribute()
    value = NumberAttribute()
    minimum_purchase = NumberAttribute(default=0)
    sku = UnicodeAttribute(null=True)
    starts_on = UnicodeAttribute(null=True)
    ends_on = UnicodeAttribute(null=True)
    stores = _strings(default=list)
    active = BooleanAttribute(default=True)


class BenefitsRecord(NetworkTable, discriminator="benefits"):
    """Every benefit rule of a tenant in one item, so the till reads them in the same
    round trip as the customer (a Query cannot join a TransactGet)."""

    ACCESS = (
        "BatchGetItem with the tenant (cached per Lambda); TransactGet'd fresh with the "
        "customer by balance and redemption; written on condition of its revision by "
        "`bemtevi benefit add/disable`"
    )

    rules = ListAttribute(of=BenefitMap, default=list)
    updated_at = UTCDateTimeAttribute()
    revision = VersionAttribute()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", "BENEFITS"


class TemplateRecord(NetworkTable, discriminator="template"):
    ACCESS = "Query: message texts by kind and channel (defaults where none)"

    template_kind = UnicodeAttribute()
    channel = UnicodeAttribute()
    text = UnicodeAttribute(default="")
    subject = UnicodeAttribute(default="")
    html = UnicodeAttribute(default="")
    whatsapp_template = UnicodeAttribute(default="")
    parameters = _strings(default=list)
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, kind: str, channel: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"TEMPLATE#{kind}#{channel}"


class MessagingRecord(NetworkTable, discriminator="messaging"):
    ACCESS = "BatchGetItem with the tenant (cached): channels, sending hours, job hour, costs"

    channels = _strings()
    send_from_hour = NumberAttribute()
    send_until_hour = NumberAttribute()
    reminder_day = NumberAttribute()
    job_hour = NumberAttribute()
    expiry_warning_days = NumberAttribute()
    sms_segment_cost = NumberAttribute()
    whatsapp_cost = NumberAttribute()
    email_cost = NumberAttribute()
    sms_sender_id = UnicodeAttribute(null=True)
    email_source = UnicodeAttribute()
    whatsapp_phone_number_id = UnicodeAttribute(null=True)
    sms_accents = BooleanAttribute(null=True)
    sms_per_second = NumberAttribute(null=True)
    email_per_second = NumberAttribute(null=True)
    whatsapp_per_second = NumberAttribute(null=True)
    sms_number = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", "MESSAGING"


class SmsNumberRecord(NetworkTable, discriminator="sms_number"):
    """The tenant that owns an SMS number: inbound replies name only the number."""

    ACCESS = "GetItem: the tenant an inbound SMS (to this E.164 number) was written to"

    tenant_id = UnicodeAttribute()

    @staticmethod
    def keys(number: str) -> tuple[str, str]:
        return f"NUMBER#{number}", "INBOUND"


class JobRecord(NetworkTable, discriminator="job"):
    """A job run's checkpoint: per index shard, where the next page starts (the last key
    read, as JSON) or "done"; a band of dates when the job has one. DynamoDB's TTL
    removes a run's checkpoint 90 days after it started."""

    ACCESS = (
        "GetItem / UpdateItem: a job run's checkpoint, per shard where the next page starts "
        "(TTL: 90 days)"
    )

    tenant_id = UnicodeAttribute()
    job = UnicodeAttribute()
    run = UnicodeAttribute()
    as_of = UTCDateTimeAttribute()
    shards: MapAttribute[str, Any] = MapAttribute(default=dict)
    band_from = UnicodeAttribute(null=True)
    band_to = UnicodeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute(null=True)

    @staticmethod
    def keys(tenant_id: str, job: str, run: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"JOB#{job}#{run}"


# What the readers of the sparse customer indexes use (the message jobs: points, contact,
# opt-outs, last store; the expiry job's conditional update: revision and the dates
# `set_points` compares; metrics: last store and lots), so the index entries stay small
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

    redeemable = RedeemableIndex()
    expiring = ExpiryIndex()
    warning = WarningIndex()

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

    @staticmethod
    def keys(tenant_id: str, customer_id: str, occurred_at: str, entry_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#C#{customer_id}", f"LEDGER#{occurred_at}#{entry_id}"


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


class SalesTable(SharedConnectionModel):
    class Meta:
        table_name = settings.table_name("sales")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class SaleRecord(SalesTable, discriminator="sale"):
    ACCESS = "TransactGet with the customer (a replay stops there); GetItem for a return"

    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    sale_id = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    total = NumberAttribute()
    discount = NumberAttribute()
    net_total = NumberAttribute()
    customer_id = UnicodeAttribute(null=True)
    seller_code = UnicodeAttribute(null=True)
    points_earned = NumberAttribute()
    lot_id = UnicodeAttribute(null=True)
    nfce_key = UnicodeAttribute(null=True)
    response = UnicodeAttribute()
    returned_amount = NumberAttribute(default=0)
    points_reversed = NumberAttribute(default=0)
    returns: MapAttribute[str, Any] = MapAttribute(default=dict)
    recorded_at = UTCDateTimeAttribute()
    revision = VersionAttribute()

    @staticmethod
    def keys(tenant_id: str, store_id: str, sale_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#S#{store_id}#{sale_id}", "SALE"


class RedemptionRecord(SalesTable, discriminator="redemption"):
    """A redemption at a store: idempotency, what it consumed (to give it back) and how
    its value was split between the origin stores. `month` is the tenant-local month of
    its server time; `period` the compensation period it was filed in (a later one when
    its month had closed; None: its own month)."""

    ACCESS = "TransactGet with the customer; GetItem to cancel"

    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    redemption_id = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    benefit_id = UnicodeAttribute()
    points = NumberAttribute()
    value = NumberAttribute()
    purchase_total = NumberAttribute()
    occurred_at = UTCDateTimeAttribute()
    month = UnicodeAttribute()
    period = UnicodeAttribute(null=True)
    consumed = UnicodeAttribute()
    parts: MapAttribute[str, Any] = MapAttribute(default=dict)
    sale_id = UnicodeAttribute(null=True)
    response = UnicodeAttribute()
    cancelled_at = UTCDateTimeAttribute(null=True)
    cancel_response = UnicodeAttribute(null=True)
    recorded_at = UTCDateTimeAttribute()
    revision = VersionAttribute()

    @staticmethod
    def keys(tenant_id: str, store_id: str, redemption_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#R#{store_id}#{redemption_id}", "REDEMPTION"


class CompensationRecord(SalesTable, discriminator="compensation"):
    """Per tenant, period (month) and pair of stores: what `payer` owes `receiver` for
    points earned at the payer and redeemed at the receiver (payer == receiver: the part
    that settles nothing). Kept by ADD in the redemption's own transaction. A redemption
    or cancellation whose month was already closed is filed in the first open period,
    under its own key with `origin` (the month it belongs to): the late items."""

    ACCESS = (
        "ADD in the redemption's transaction; Query: a period's pairs; `LATE#` for a "
        "redemption or cancellation whose month had closed"
    )

    month = UnicodeAttribute(null=True)
    payer = UnicodeAttribute(null=True)
    receiver = UnicodeAttribute(null=True)
    origin = UnicodeAttribute(null=True)
    amount = NumberAttribute(default=0)
    points = NumberAttribute(default=0)
    redemptions = NumberAttribute(default=0)

    @staticmethod
    def keys(
        tenant_id: str, month: str, payer: str, receiver: str, origin: str | None = None
    ) -> tuple[str, str]:
        late = f"LATE#{origin}#" if origin and origin != month else ""
        return f"T#{tenant_id}#COMP#{month}", f"{late}{payer}#{receiver}"


class PeriodRecord(SalesTable, discriminator="period"):
    """The closing of a month's compensation. Once it exists, every redemption and
    cancellation transaction (which checks that it does not) files into the next open
    period instead, so the month's pairs, and its invoice lines, never change again."""

    ACCESS = (
        "written first by the compensation job; TransactGet'd and ConditionCheck'd by every "
        "redemption and cancellation"
    )

    month = UnicodeAttribute()
    closed_at = UTCDateTimeAttribute()
    lines_written = NumberAttribute(null=True)
    owed = NumberAttribute(null=True)
    receivable = NumberAttribute(null=True)

    @staticmethod
    def keys(tenant_id: str, month: str) -> tuple[str, str]:
        return f"T#{tenant_id}#COMP#{month}", "CLOSED"


class InvoiceLineRecord(SalesTable, discriminator="invoice_line"):
    """A closed month's invoice line: what `store` owes and receives from `counterparty`
    (late items included, and also shown apart), and the net. Its id is deterministic
    and it is written on condition that it is new or the same, so a rerun changes nothing."""

    ACCESS = (
        'Put on condition "new or identical"; Query `begins_with(<store>#)`: a statement; '
        "Query: the network's CSV"
    )

    line_id = UnicodeAttribute()
    month = UnicodeAttribute()
    store_id = UnicodeAttribute()
    counterparty = UnicodeAttribute()
    owes = NumberAttribute()
    receives = NumberAttribute()
    net = NumberAttribute()
    late_owes = NumberAttribute(default=0)
    late_receives = NumberAttribute(default=0)
    points_owed = NumberAttribute(default=0)
    points_received = NumberAttribute(default=0)
    redemptions_owed = NumberAttribute(default=0)
    redemptions_received = NumberAttribute(default=0)
    late_from = _strings(default=list)
    fingerprint = UnicodeAttribute()

    @staticmethod
    def keys(tenant_id: str, month: str, store_id: str, counterparty: str) -> tuple[str, str]:
        return f"T#{tenant_id}#INV#{month}", f"{store_id}#{counterparty}"


class MetricsSnapshotRecord(SalesTable, discriminator="metrics"):
    """A month's metrics for one scope (a store, or NETWORK), as of a date: counts over
    the month to date and over the last 30 days (numerators and denominators, never
    ratios), the state read at `observed_on`, messages and compensation."""

    ACCESS = "BatchWriteItem by the job; Query `between`: a scope's (a store, or NETWORK) months"

    scope = UnicodeAttribute()
    month = UnicodeAttribute()
    as_of = UnicodeAttribute()
    observed_on = UnicodeAttribute()
    month_counts: MapAttribute[str, Any] = MapAttribute(default=dict)
    last_30_days: MapAttribute[str, Any] = MapAttribute(default=dict)
    state: MapAttribute[str, Any] = MapAttribute(default=dict)
    messages: MapAttribute[str, Any] = MapAttribute(default=dict)
    compensation: MapAttribute[str, Any] = MapAttribute(default=dict)

    @staticmethod
    def keys(tenant_id: str, scope: str, month: str) -> tuple[str, str]:
        return f"T#{tenant_id}#METRICS#{scope}", month


class NfceRecord(SalesTable, discriminator="nfce"):
    ACCESS = "written with the sale on condition it is new: one sale per NFC-e key"

    store_id = UnicodeAttribute()
    sale_id = UnicodeAttribute()

    @staticmethod
    def keys(tenant_id: str, nfce_key: str) -> tuple[str, str]:
        return f"T#{tenant_id}#NFCE#{nfce_key}", "NFCE"


class _Flows:
    """The flow counts kept per store-day and per store-month (bemtevi.domain.metrics.FLOWS)."""

    sales = NumberAttribute(default=0)
    identified_sales = NumberAttribute(default=0)
    earning_sales = NumberAttribute(default=0)
    returning_sales = NumberAttribute(default=0)
    revenue = NumberAttribute(default=0)
    gross = NumberAttribute(default=0)
    discount = NumberAttribute(default=0)
    points_issued = NumberAttribute(default=0)
    new_customers = NumberAttribute(default=0)
    returns = NumberAttribute(default=0)
    returned_amount = NumberAttribute(default=0)
    points_reversed = NumberAttribute(default=0)
    redemptions = NumberAttribute(default=0)
    points_redeemed = NumberAttribute(default=0)
    benefit_value = NumberAttribute(default=0)
    redeeming_purchase_total = NumberAttribute(default=0)
    redemptions_cancelled = NumberAttribute(default=0)
    points_restored = NumberAttribute(default=0)
    benefit_value_cancelled = NumberAttribute(default=0)
    redeeming_purchase_cancelled = NumberAttribute(default=0)
    points_expired = NumberAttribute(default=0)


class DayCounterRecord(SalesTable, _Flows, discriminator="day"):
    """Per store per day (tenant time zone), kept by ADD updates at ingestion.
    `last_purchases` is a gauge: the customers whose latest purchase is this store and
    day (a newer purchase moves them), so the active customers of any window are a sum."""

    ACCESS = (
        "ADD at every sale, return, redemption and expiry (tenant's time zone); Query per "
        "store-day for metrics"
    )

    store_id = UnicodeAttribute(null=True)
    day = UnicodeAttribute(null=True)
    last_purchases = NumberAttribute(default=0)

    @staticmethod
    def keys(tenant_id: str, store_id: str, day: str) -> tuple[str, str]:
        return f"T#{tenant_id}#D#{store_id}#{day}", "COUNTERS"


class MessageCounterRecord(SalesTable, discriminator="message_day"):
    """Per store per day per kind and channel: messages sent, SMS segments, their cost
    in centavos and sends that failed for good. The store is the customer's last store
    (where they last bought). Same partition as the store-day counters: one Query reads
    a store's day."""

    ACCESS = "ADD at each send; the same Query returns them with the store-day counters"

    store_id = UnicodeAttribute(null=True)
    day = UnicodeAttribute(null=True)
    message_kind = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    sent = NumberAttribute(default=0)
    segments = NumberAttribute(default=0)
    cost = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)

    @staticmethod
    def keys(tenant_id: str, store_id: str, day: str, kind: str, channel: str) -> tuple[str, str]:
        return f"T#{tenant_id}#D#{store_id}#{day}", f"MSG#{kind}#{channel}"


class MonthCounterRecord(SalesTable, _Flows, discriminator="month"):
    """Per store per month (tenant time zone): the same flows as the store-day counters,
    ADDed in the same transactions (never the last-purchase gauge), so that the month so
    far of a whole network is one BatchGetItem of stores items instead of stores x days."""

    ACCESS = (
        "ADD with the store-day counter, in the same transaction; BatchGetItem: the month "
        "so far of the stores a dashboard shows"
    )

    store_id = UnicodeAttribute(null=True)
    month = UnicodeAttribute(null=True)

    @staticmethod
    def keys(tenant_id: str, store_id: str, month: str) -> tuple[str, str]:
        return f"T#{tenant_id}#MONTH#{store_id}#{month}", "COUNTERS"


TABLES: dict[str, type[Model]] = {
    "network": NetworkTable,
    "customers": CustomersTable,
    "sales": SalesTable,
}
