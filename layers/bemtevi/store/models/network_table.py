"""The network table: a tenant's configuration, read on every request but written
rarely (stores and their keys, points program, products, benefits, message texts and
settings), plus the job checkpoints."""

from typing import Any

from pynamodb.attributes import (
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
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from bemtevi import settings
from bemtevi.store.connection import SharedConnectionModel
from bemtevi.store.models.shared import strings


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
    ACCESS = (
        "GetItem: authenticate a signed request (carries tenant and store, and the tenant's "
        "pepper sealed with the secrets: one Decrypt opens both; cached per Lambda); "
        "conditional UpdateItem of last_seen_at at most once an hour per key; BatchGetItem "
        "of a tenant's keys (the dashboard's stores page)"
    )

    key_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    secrets = ListAttribute(of=SealedSecretMap)
    revision = VersionAttribute()
    last_seen_at = UTCDateTimeAttribute(null=True)
    """When a request signed with this key was last accepted, to the hour (see auth)."""
    pepper = SealedSecretMap(null=True)
    """The tenant's pepper, sealed in the secrets' envelope (one Decrypt opens both), so a
    cold request need not wait for the tenant's record to open it; none on keys last
    written before it existed (they open the tenant's own)."""

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


class ProductNameIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query (`TENANT#<tenant>`, begins_with the name lower-cased without accents): "
        "the catalogue page's search by name, a page at a time"
    )

    class Meta:
        index_name = "product_name"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    name_key = UnicodeAttribute(range_key=True)


class ProductSkuIndex(GlobalSecondaryIndex):
    ACCESS = (
        "Query (`TENANT#<tenant>`, begins_with the SKU lower-cased): the catalogue page's "
        "search by SKU, whatever the case the ERP and the manager type it in"
    )

    class Meta:
        index_name = "product_sku"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    sku_key = UnicodeAttribute(range_key=True)


class ProductRecord(NetworkTable, discriminator="product"):
    """`name_key` and `sku_key` (name and SKU as a search matches them) are written with
    the product, so the two sparse indexes hold only products."""

    ACCESS = "GetItem, BatchGetItem (the products of benefits); BatchWriteItem from the ERP sync"

    sku = UnicodeAttribute()
    name = UnicodeAttribute()
    brand = UnicodeAttribute(null=True)
    category = UnicodeAttribute(null=True)
    price = NumberAttribute()
    cost = NumberAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    name_key = UnicodeAttribute(null=True)
    sku_key = UnicodeAttribute(null=True)
    by_name = ProductNameIndex()
    by_sku = ProductSkuIndex()

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
    stores = strings(default=list)
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
    parameters = strings(default=list)
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, kind: str, channel: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"TEMPLATE#{kind}#{channel}"


class MessagingRecord(NetworkTable, discriminator="messaging"):
    ACCESS = "BatchGetItem with the tenant (cached): channels, sending hours, job hour, costs"

    channels = strings()
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


class AuditRecord(NetworkTable, discriminator="audit"):
    ACCESS = "Query `sk < <cursor>` backwards: a tenant's latest manager actions, a page at a time"

    tenant_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    subject = UnicodeAttribute()
    masked_email = UnicodeAttribute()
    action = UnicodeAttribute()
    detail = UnicodeAttribute(default="")
    source_ip = UnicodeAttribute(default="")

    @staticmethod
    def keys(tenant_id: str, occurred_at: str, entry_id: str) -> tuple[str, str]:
        return f"AUDIT#{tenant_id}", f"AT#{occurred_at}#{entry_id}"


class SellerRecord(NetworkTable, discriminator="seller"):
    """A salesperson of a store, by the seller code the POS sends with a sale."""

    ACCESS = (
        'Query `begins_with(sk, "SELLER#")` (or `SELLER#<store>#`): the sales team; '
        "conditional Put (new code) and UpdateItem (disable)"
    )

    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, store_id: str, code: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"SELLER#{store_id}#{code}"


class CampaignRecord(NetworkTable, discriminator="campaign"):
    """A campaign: its segment (as the dict `segment_dict` gives, in JSON), channels in
    order, a text per channel, schedule, control share, attribution window and status.
    `stores`: the store manager's stores it is limited to (empty: the whole network)."""

    ACCESS = (
        'GetItem; Query `begins_with(sk, "CAMPAIGN#")`: a tenant\'s campaigns (the list, '
        "the send job); UpdateItem of the status on condition of the status read"
    )

    tenant_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute()
    name = UnicodeAttribute()
    segment = UnicodeAttribute()
    channels = strings()
    texts: MapAttribute[str, Any] = MapAttribute(default=dict)
    send_at = UTCDateTimeAttribute()
    control_percent = NumberAttribute()
    window_days = NumberAttribute()
    status = UnicodeAttribute()
    stores = strings(default=list)
    created_by = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)

    @staticmethod
    def keys(tenant_id: str, campaign_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"CAMPAIGN#{campaign_id}"


class SavedSegmentRecord(NetworkTable, discriminator="saved_segment"):
    """A segment kept under a name (its dict in JSON); `stores`: the store manager's
    stores who saved it (empty: a network admin's)."""

    ACCESS = 'PutItem; Query `begins_with(sk, "SEGMENT#")`: a tenant\'s saved segments'

    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    segment = UnicodeAttribute()
    stores = strings(default=list)
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, name_key: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"SEGMENT#{name_key}"
