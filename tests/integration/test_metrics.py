"""The metrics snapshot: per store and network, from counters and the sparse index (never
a sale), kept month by month, read by the store over HTTP and compared in the CLI."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.metrics import NETWORK, MonthSnapshot, summed
from bemtevi.domain.months import previous_month
from bemtevi.store import metrics as repository
from bemtevi.store.models import MessageCounterRecord, MetricsSnapshotRecord
from functions.network import benefit_rules, stores
from functions.reporting import snapshots
from tests.integration.conftest import Pos
from tests.integration.test_sales import sale

TENANT = "rede-teste"
ZONE = ZoneInfo("America/Sao_Paulo")
A, B, C, D = "529.982.247-25", "111.444.777-35", "390.533.447-05", "393.993.767-37"


@pytest.fixture
def shops(api, store) -> Pos:
    second = Pos(api, stores.add_store(TENANT, "loja-2", "Loja 2"))
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 50, discount=1000, minimum_purchase=3000)
    return second


def redemption(redemption_id: str, cpf: str, total: int) -> dict:
    from datetime import UTC, datetime

    return {
        "redemption_id": redemption_id,
        "customer": {"cpf": cpf},
        "benefit_id": "dez",
        "purchase_total": total,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


@pytest.fixture
def story(pos, shops):
    """Today: A buys R$ 100 at loja-1 (100 points), redeems R$ 10 (50 points) at loja-2
    buying R$ 60, buys R$ 30 at loja-2 (30 points) and returns R$ 20 of the first sale at
    loja-1 (20 points back); an anonymous R$ 50 sale at loja-2. 40 days ago B bought
    R$ 80 at loja-2 (80 points); 200 days ago C bought R$ 30 at loja-1, whose 30 points
    expire (at loja-1, today) as the sale is posted. Three SMS reminders from loja-1."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    pos.post("/v1/sales", sale("v-a1", total=10000, at=now, customer={"cpf": A}))
    shops.post("/v1/redemptions", redemption("r-1", A, 6000))
    later = now + timedelta(minutes=1)
    shops.post("/v1/sales", sale("v-a2", total=3000, at=later, customer={"cpf": A}))
    pos.post("/v1/sales/v-a1/cancel", {"return_id": "d-1", "amount": 2000})
    shops.post("/v1/sales", sale("v-anon", total=5000, at=now))
    shops.post(
        "/v1/sales", sale("v-b", total=8000, at=now - timedelta(days=40), customer={"cpf": B})
    )
    pos.post(
        "/v1/sales", sale("v-c", total=3000, at=now - timedelta(days=200), customer={"cpf": C})
    )
    today = now.astimezone(ZONE).date()
    MessageCounterRecord(
        *MessageCounterRecord.keys(TENANT, "loja-1", today.isoformat(), "reminder", "sms"),
        store_id="loja-1",
        day=today.isoformat(),
        message_kind="reminder",
        channel="sms",
        sent=3,
        segments=3,
        cost=27,
    ).save()
    return today + timedelta(days=1)


def test_a_snapshot_per_store_and_for_the_network(story):
    as_of = story
    result = snapshots.snapshot(TENANT, as_of)
    month = (as_of - timedelta(days=1)).strftime("%Y-%m")
    assert (result["month"], result["as_of"], result["stores"]) == (month, as_of.isoformat(), 2)
    kept = {s.scope: s for s in repository.snapshots(TENANT, "loja-1", month, month)}
    kept.update({s.scope: s for s in repository.snapshots(TENANT, "loja-2", month, month)})
    kept.update({s.scope: s for s in repository.snapshots(TENANT, NETWORK, month, month)})
    one, two, whole = kept["loja-1"], kept["loja-2"], kept[NETWORK]

    assert {k: v for k, v in one.month_counts.items() if v} == {
        "sales": 1,
        "identified_sales": 1,
        "earning_sales": 1,
        "revenue": 10000,
        "gross": 10000,
        "points_issued": 100,
        "new_customers": 1,
        "returns": 1,
        "returned_amount": 2000,
        "points_reversed": 20,
        "points_expired": 30,
    }
    assert {k: v for k, v in two.month_counts.items() if v} == {
        "sales": 2,
        "identified_sales": 1,
        "earning_sales": 1,
        "returning_sales": 1,
        "revenue": 8000,
        "gross": 8000,
        "points_issued": 30,
        "redemptions": 1,
        "points_redeemed": 50,
        "benefit_value": 1000,
        "redeeming_purchase_total": 6000,
    }
    assert whole.month_counts == summed([one.month_counts, two.month_counts])
    assert one.last_30_days == one.month_counts
    # A and B last bought at loja-2; A's points: 30 earned at each store; B's 80 at loja-2
    assert one.state == {
        "customers_with_points": 0,
        "customers_can_redeem": 0,
        "active_customers": 0,
        "outstanding_points": 30,
        "liability": 600,
        "point_value": 1000,
        "point_value_points": 50,
    }
    assert (two.state["customers_with_points"], two.state["active_customers"]) == (2, 2)
    assert (two.state["outstanding_points"], two.state["liability"]) == (110, 2200)
    assert (whole.state["customers_can_redeem"], whole.state["liability"]) == (2, 2800)
    assert one.messages == {"reminder:sms": {"sent": 3, "segments": 3, "cost": 27, "failed": 0}}
    assert (one.compensation, two.compensation) == (
        {"owed": 1000, "receivable": 0},
        {"owed": 0, "receivable": 1000},
    )
    loyalty = result["network"]["last_30_days"]
    assert loyalty == {
        "customers_with_points": 2,
        "customers_can_redeem": 2,
        "discount_granted": 1000,
        "visits_with_redemption": 1,
        "redeeming_spend": 6000,
        "earning_sales_share_bp": 6667,
    }
    figures = result["network"]["figures"]
    assert (figures["revenue"], figures["average_ticket"], figures["returning_rate_bp"]) == (
        16000,
        6000,
        5000,
    )
    assert (figures["messages_sent"], figures["messages_cost"]) == (3, 27)


def test_the_snapshot_never_reads_a_sale(story):
    from bemtevi.store.models import SalesTable

    client = SalesTable._get_connection().connection.client
    seen: list[str] = []

    def record(params, **_):
        seen.append(repr(params))

    client.meta.events.register("before-call.dynamodb", record)
    try:
        snapshots.snapshot(TENANT, story)
    finally:
        client.meta.events.unregister("before-call.dynamodb", record)
    assert seen
    assert not [call for call in seen if f"T#{TENANT}#S#" in call]


def test_running_it_again_changes_nothing_and_keeps_the_first_photograph(story, pos):
    snapshots.snapshot(TENANT, story)
    month = (story - timedelta(days=1)).strftime("%Y-%m")
    pk = MetricsSnapshotRecord.keys(TENANT, NETWORK, month)[0]
    first = [r.serialize() for r in MetricsSnapshotRecord.query(pk)]
    snapshots.snapshot(TENANT, story)
    assert [r.serialize() for r in MetricsSnapshotRecord.query(pk)] == first
    pos.post("/v1/sales", sale("v-d", total=9000, customer={"cpf": D}))
    again = snapshots.snapshot(TENANT, story)["network"]["figures"]
    assert again["sales"] == 4  # the flows are recounted...
    assert again["customers_with_points"] == 2  # ...the state stays as first observed


def test_the_store_reads_its_own_months_over_http(story, shops):
    snapshots.snapshot(TENANT, story)
    month = (story - timedelta(days=1)).strftime("%Y-%m")
    answer = shops.get(f"/v1/metrics?from={previous_month(month)}&to={month}")
    assert answer.status_code == 200
    body = answer.json_body
    assert (body["store"], [m["month"] for m in body["months"]]) == ("loja-2", [month])
    assert body["months"][0]["scope"] == "loja-2"
    assert body["months"][0]["figures"]["compensation_receivable"] == 1000
    for query, code in [
        ("from=2026-13&to=2026-12", "invalid_month"),
        (f"from={month}&to=2020-01", "invalid_range"),
        ("from=2020-01&to=2026-01", "range_too_long"),
        ("to=2026-01", "invalid_month"),
        ("from=0000-01&to=0000-01", "invalid_month"),
        ("from=9999-12&to=9999-12", "invalid_month"),
        ("from=２０２６-01&to=2026-01", "invalid_month"),
    ]:
        refused = shops.get(f"/v1/metrics?{query}")
        assert (refused.status_code, refused.json_body["error"]["code"]) == (400, code)


def _seeded(month: str, discount: int, visits: int, spend: int) -> MonthSnapshot:
    counts = summed([])
    counts.update(
        sales=100,
        revenue=1_000_000,
        benefit_value=discount,
        redemptions=visits,
        redeeming_purchase_total=spend,
    )
    return MonthSnapshot(NETWORK, month, month, month, counts, counts, {}, {}, {})


def test_the_manager_compares_two_periods_in_the_cli(aws, capsys):
    from cli.main import main

    stores.create_tenant("bebe", "Bebê")
    before = [_seeded(m, 40_000, 20, 200_000) for m in ("2026-06", "2026-07", "2026-08")]
    after = [_seeded(m, 30_000, 30, 600_000) for m in ("2026-09", "2026-10")]
    repository.save("bebe", before + after)
    argv = ["metrics", "compare", "--tenant", "bebe", "--a", "2026-06..2026-08"]
    assert main([*argv, "--b", "2026-09..2026-10"]) == 0
    out = capsys.readouterr().out
    assert "Desconto médio por troca" in out
    average = next(line for line in out.splitlines() if line.startswith("Desconto médio"))
    assert average.split()[-5:] == ["R$", "20,00", "R$", "10,00", "-50,0%"]
    spend = next(line for line in out.splitlines() if line.startswith("Compra por cliente"))
    assert spend.split()[-5:] == ["R$", "100,00", "R$", "200,00", "+100,0%"]
    assert main([*argv, "--b", "2026-09..2026-10", "--json"]) == 0
    compared = __import__("json").loads(capsys.readouterr().out)
    assert compared["a"]["months"] == ["2026-06", "2026-07", "2026-08"]
    assert main(["metrics", "show", "--tenant", "bebe", "--a", "2026-09..2026-10"]) == 0
    assert "2026-09" in capsys.readouterr().out
