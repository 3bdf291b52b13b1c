"""The sales table: what the POS posted, per store (sales, redemptions, NFC-e keys),
and what is summed from it (store-day and message counters, compensation pairs and
periods, invoice lines, monthly metrics snapshots)."""

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from bemtevi import settings
from bemtevi.store.connection import SharedConnectionModel
from bemtevi.store.models.shared import strings


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
    late_from = strings(default=list)
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
    points_adjusted = NumberAttribute(default=0)


class DayCounterRecord(SalesTable, _Flows, discriminator="day"):
    """Per store per day (tenant time zone), kept by ADD updates at ingestion.
    `last_purchases` is a gauge: the customers whose latest purchase is this store and
    day (a newer purchase moves them), so the active customers of any window are a sum."""

    ACCESS = (
        "ADD at every sale, return, redemption and expiry (tenant's time zone); Query per "
        "store-day for metrics; BatchGetItem of last month's days projected on "
        "`benefit#<id>#redemptions|value` (ADDed by redemptions and their cancellations) "
        "for the benefits page"
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


class CampaignCounterRecord(SalesTable, discriminator="campaign_day"):
    """Per campaign (or holdout `auto-<kind>`, or follow-up marker) per day and store:
    sends, cost and attributed sales, one flat number attribute per counter, ADDed."""

    ACCESS = (
        "ADD at each send of a campaign; Query of the campaign's window (`<day>#` "
        "between the first and last day) for its figures"
    )

    day = UnicodeAttribute(null=True)
    store_id = UnicodeAttribute(null=True)

    @staticmethod
    def keys(tenant_id: str, marker_id: str, day: str, store_id: str) -> tuple[str, str]:
        return f"T#{tenant_id}#K#{marker_id}", f"{day}#{store_id}"


class MonthCounterRecord(SalesTable, _Flows, discriminator="month"):
    """Per store per month (tenant time zone): the store-day counters of the month folded
    together by the nightly roll-up (functions.reporting.rollup) through `through` (the
    last day included), flows and per-day message counts ({day: {"kind:channel": counts}}).
    Recomputed from the day counters and written whole, never ADDed: no sale writes it."""

    ACCESS = (
        "Put by the nightly roll-up; BatchGetItem: the month so far of the stores a "
        "dashboard shows (with the day counters of the days after `through`)"
    )

    store_id = UnicodeAttribute(null=True)
    month = UnicodeAttribute(null=True)
    through = UnicodeAttribute(null=True)
    messages: MapAttribute[str, Any] = MapAttribute(default=dict)

    @staticmethod
    def keys(tenant_id: str, store_id: str, month: str) -> tuple[str, str]:
        return f"T#{tenant_id}#MONTH#{store_id}#{month}", "COUNTERS"


class TaskRecord(SalesTable, discriminator="task"):
    """One item of a salesperson's daily follow-up list (issue 16): who to contact, why,
    the suggested message, and the outcome once logged. Written by the daily job on
    condition it is new (a rerun or a resumed run adds nothing and keeps outcomes)."""

    ACCESS = (
        "conditional Put by the lists job; Query `sk between <first day> and <today>~`: a "
        "salesperson's list, today and overdue; UpdateItem (in a transaction with the "
        "counters): the outcome"
    )

    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    seller = UnicodeAttribute()
    day = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    reason = UnicodeAttribute()
    first_name = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    last_purchase_at = UTCDateTimeAttribute(null=True)
    last_store = UnicodeAttribute(null=True)
    balance = NumberAttribute(default=0)
    opted_out = BooleanAttribute(default=False)
    message = UnicodeAttribute(default="")
    outcome = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    done_at = UTCDateTimeAttribute(null=True)

    @staticmethod
    def keys(
        tenant_id: str, store_id: str, seller: str, day: str, rank: int, customer_id: str
    ) -> tuple[str, str]:
        return f"T#{tenant_id}#F#{store_id}#{seller}", f"{day}#{str(rank).zfill(4)}#{customer_id}"


class TaskCounterRecord(SalesTable, discriminator="task_day"):
    """Per store, day and salesperson: list items made, done, reached and per outcome,
    kept by ADD (the manager's page reads a store's month with one Query)."""

    ACCESS = "ADD by the lists job and the call log; Query `begins_with <month>`: a store's month"

    made = NumberAttribute(default=0)
    done = NumberAttribute(default=0)
    reached = NumberAttribute(default=0)

    @staticmethod
    def keys(tenant_id: str, store_id: str, day: str, seller: str) -> tuple[str, str]:
        return f"T#{tenant_id}#FK#{store_id}", f"{day}#{seller}"
