"""PynamoDB models, one module per table, one root model per table. Keys never hold a
CPF or a phone number: customers are keyed by an id derived from a keyed hash
(bemtevi.domain.customers).

network (network_table.py): a tenant's configuration, read on every request but written
rarely. customers (customers_table.py): one item collection per customer (its Query
returns everything). sales (sales_table.py): what the POS posted, per store, and what is
summed from it. Every model name is importable from here.

Each record model's `keys()` builds its pk and sk, and its `ACCESS` says which calls read
or write it: `python -m infra.key_tables` renders them, with the indexes, into the key
tables of docs/data.md (a test fails when those are stale), as `python -m infra.template`
renders the tables into infra/stateful.json.
"""

from pynamodb.models import Model

from bemtevi.store.models.customers_table import (
    JOB_ATTRIBUTES,
    AdjustmentRecord,
    AliasRecord,
    AudienceIndex,
    BirthdayIndex,
    BoughtIndex,
    CustomerRecord,
    CustomersTable,
    ErasureRecord,
    ExpiryIndex,
    LedgerRecord,
    LinkRecord,
    LotMap,
    LotsAttribute,
    MessageLogIndex,
    MessageRecord,
    OutboxIndex,
    RedeemableIndex,
    ReplyRecord,
    SuppressionRecord,
    WarningIndex,
)
from bemtevi.store.models.network_table import (
    AuditRecord,
    BenefitMap,
    BenefitsRecord,
    CampaignRecord,
    JobRecord,
    MessagingRecord,
    NetworkTable,
    ProductNameIndex,
    ProductRecord,
    ProductSkuIndex,
    ProgramRecord,
    SavedSegmentRecord,
    SealedSecretMap,
    SellerRecord,
    SmsNumberRecord,
    StoreKeyRecord,
    StoreRecord,
    TemplateRecord,
    TenantEntryRecord,
    TenantRecord,
)
from bemtevi.store.models.sales_table import (
    CampaignCounterRecord,
    CompensationRecord,
    DayCounterRecord,
    InvoiceLineRecord,
    MessageCounterRecord,
    MetricsSnapshotRecord,
    MonthCounterRecord,
    NfceRecord,
    PeriodRecord,
    RedemptionRecord,
    SaleRecord,
    SalesTable,
    TaskCounterRecord,
    TaskRecord,
)

TABLES: dict[str, type[Model]] = {
    "network": NetworkTable,
    "customers": CustomersTable,
    "sales": SalesTable,
}

__all__ = [
    "JOB_ATTRIBUTES",
    "TABLES",
    "AdjustmentRecord",
    "AliasRecord",
    "AudienceIndex",
    "AuditRecord",
    "BenefitMap",
    "BenefitsRecord",
    "BirthdayIndex",
    "BoughtIndex",
    "CampaignCounterRecord",
    "CampaignRecord",
    "CompensationRecord",
    "CustomerRecord",
    "CustomersTable",
    "DayCounterRecord",
    "ErasureRecord",
    "ExpiryIndex",
    "InvoiceLineRecord",
    "JobRecord",
    "LedgerRecord",
    "LinkRecord",
    "LotMap",
    "LotsAttribute",
    "MessageCounterRecord",
    "MessageLogIndex",
    "MessageRecord",
    "MessagingRecord",
    "MetricsSnapshotRecord",
    "MonthCounterRecord",
    "NetworkTable",
    "NfceRecord",
    "OutboxIndex",
    "PeriodRecord",
    "ProductNameIndex",
    "ProductRecord",
    "ProductSkuIndex",
    "ProgramRecord",
    "RedeemableIndex",
    "RedemptionRecord",
    "ReplyRecord",
    "SaleRecord",
    "SalesTable",
    "SavedSegmentRecord",
    "SealedSecretMap",
    "SellerRecord",
    "SmsNumberRecord",
    "StoreKeyRecord",
    "StoreRecord",
    "SuppressionRecord",
    "TaskCounterRecord",
    "TaskRecord",
    "TemplateRecord",
    "TenantEntryRecord",
    "TenantRecord",
    "WarningIndex",
]
