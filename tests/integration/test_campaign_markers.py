"""Campaign membership markers on the customer item and the campaign's day counters,
against moto: a member joins once, a later sale keeps the marker, counters add up."""

import json
from datetime import UTC, datetime, timedelta

from bemtevi.domain.attribution import Membership, Role, markers_from
from bemtevi.store.attribution import CounterRow, add_counters, counters, join
from bemtevi.store.models import CustomerRecord

CPF = "529.982.247-25"
WHEN = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)


def sale(sale_id: str, total: int) -> dict:
    occurred = WHEN.isoformat(timespec="seconds")
    return {"sale_id": sale_id, "occurred_at": occurred, "total": total,
            "customer": {"cpf": CPF}}  # fmt: skip


def markers_of(customer_id: str) -> dict:
    item = CustomerRecord.get(*CustomerRecord.keys("rede-teste", customer_id))
    return {m.campaign_id: m for m in markers_from(json.loads(item.cm or "{}"))}


def test_a_member_joins_once_and_a_later_sale_keeps_the_marker(pos):
    customer_id = pos.post("/v1/sales", sale("v-1", 10000)).json_body["customer_id"]
    marker = Membership("camp-1", Role.RECIPIENT, WHEN, WHEN + timedelta(days=7), "sms")

    assert join("rede-teste", customer_id, marker) is True
    assert join("rede-teste", customer_id, marker) is False
    assert join("rede-teste", "nobody", marker) is False
    pos.post("/v1/sales", sale("v-2", 5000))

    kept = markers_of(customer_id)
    assert list(kept) == ["camp-1"]
    assert (kept["camp-1"].role, kept["camp-1"].channel) == (Role.RECIPIENT, "sms")
    assert kept["camp-1"].ends_at == WHEN + timedelta(days=7)


def test_counters_add_up_per_day_and_store_inside_the_window(aws):
    add_counters("rede-teste", "camp-1", "2026-11-02", "loja-1", recipients=2, cost=14)
    add_counters("rede-teste", "camp-1", "2026-11-02", "loja-1", recipients=1, cost=7)
    add_counters("rede-teste", "camp-1", "2026-11-03", "loja-2", control=1, failed=0)
    add_counters("rede-teste", "camp-1", "2026-11-20", "loja-1", recipients=5)
    add_counters("rede-teste", "camp-2", "2026-11-02", "loja-1", recipients=9)

    assert counters("rede-teste", "camp-1", "2026-11-01", "2026-11-08") == [
        CounterRow("2026-11-02", "loja-1", {"recipients": 3, "cost": 21}),
        CounterRow("2026-11-03", "loja-2", {"control": 1}),
    ]
