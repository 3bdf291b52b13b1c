"""The audience index: every customer write keeps one entry per customer, with what
segments filter on, readable shard by shard."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bemtevi.domain.audience import store_tag
from bemtevi.store.audience import AUDIENCE_SHARDS, audience_page
from bemtevi.store.customers import shard_of
from bemtevi.store.models import CustomerRecord

CPF, OTHER = "529.982.247-25", "111.444.777-35"
WHEN = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
DAY = WHEN.astimezone(ZoneInfo("America/Sao_Paulo")).date()


def sale(sale_id: str, total: int, cpf: str, **extra) -> dict:
    occurred = WHEN.isoformat(timespec="seconds")
    return {"sale_id": sale_id, "occurred_at": occurred, "total": total,
            "customer": {"cpf": cpf, **extra}}  # fmt: skip


def everyone(tenant: str = "rede-teste") -> dict:
    rows = {}
    for shard in range(AUDIENCE_SHARDS):
        start: dict | None = None
        while True:
            page, start = audience_page(tenant, shard, start, limit=1)
            for row in page:
                assert row.customer_id not in rows
                rows[row.customer_id] = (shard, row.entry)
            if start is None:
                break
    return rows


def test_sales_keep_one_entry_per_customer_with_its_figures(pos):
    first = pos.post("/v1/sales", sale("v-1", 15990, CPF, birthday="1990-05-17")).json_body
    pos.post("/v1/sales", sale("v-2", 5000, CPF))
    other = pos.post("/v1/sales", sale("v-3", 2000, OTHER, email="ana@example.com")).json_body
    rows = everyone()
    assert set(rows) == {first["customer_id"], other["customer_id"]}
    shard, entry = rows[first["customer_id"]]
    assert shard == shard_of(first["customer_id"])
    assert (entry.visits, entry.spent, entry.balance) == (2, 20990, 209)
    assert entry.last_purchase_on == entry.joined_on == DAY
    assert entry.birthday == (5, 17)
    assert entry.stores == (store_tag("loja-1"),)
    assert [(w.offset, w.purchases, w.reais) for w in entry.weeks] == [(0, 2, 210)]
    assert entry.reach == frozenset()
    _, other_entry = rows[other["customer_id"]]
    assert (other_entry.visits, other_entry.spent, other_entry.balance) == (1, 2000, 20)
    assert other_entry.reach == frozenset({"email"})
    item = CustomerRecord.get(*CustomerRecord.keys("rede-teste", first["customer_id"]))
    assert item.ak == f"T#rede-teste#A#{shard}"
    assert len(item.au) < 60


def test_a_tenant_without_customers_reads_nothing(pos):
    assert everyone() == {}
