"""The nightly roll-up of the store-day counters into store-month items, and the month so
far read from them plus the days after them: figures equal to the day counters' sums
whether the roll-up ran, is stale or never ran; and a sale's transaction without them."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bemtevi import aws
from bemtevi.domain.metrics import FLOWS
from bemtevi.store import figures
from bemtevi.store.call_count import counting_dynamodb_calls
from bemtevi.store.models import DayCounterRecord, MessageCounterRecord, MonthCounterRecord
from functions.dashboard.home import home
from functions.loyalty.redemptions import redeem_benefit
from functions.loyalty.sales import record_sale
from functions.reporting import rollup
from tests.integration.dashboard import (
    ADMIN,
    TENANT,
    ZONE,
    A,
    B,
    _caller,
    _sale,
    rows_by_label,
    seed_network,
    tables,
)

STORES = ["bairro", "centro", "shopping"]


def sell(store: str, sale_id: str, total: int, day: date, cpf: str | None = None) -> None:
    at = datetime(day.year, day.month, day.day, 15, tzinfo=ZONE)
    record_sale(_caller(store), _sale(sale_id, total, at.isoformat(), cpf), now=at)


def message(store: str, day: date, kind: str, channel: str, sent: int, cost: int) -> None:
    keys = MessageCounterRecord.keys(TENANT, store, day.isoformat(), kind, channel)
    MessageCounterRecord(
        *keys,
        store_id=store,
        day=day.isoformat(),
        message_kind=kind,
        channel=channel,
        sent=sent,
        cost=cost,
    ).save()


def day_sums(store: str, days: list[date]) -> dict[str, int]:
    """What the store's day counters of `days` add up to, read one by one."""
    totals = dict.fromkeys(FLOWS, 0)
    for day in days:
        keys = DayCounterRecord.keys(TENANT, store, day.isoformat())
        for item in DayCounterRecord.query(keys[0]):
            for name in FLOWS:
                totals[name] += int(getattr(item, name) or 0)
    return totals


def month_item(store: str, month: str) -> MonthCounterRecord:
    return MonthCounterRecord.get(*MonthCounterRecord.keys(TENANT, store, month))


def march(day: int) -> date:
    return date(2026, 3, day)


@pytest.fixture
def network(aws):
    seed_network()
    sell("centro", "v-1", 10_000, march(2), A)
    sell("centro", "v-2", 5_000, march(9))
    sell("shopping", "v-3", 20_000, march(9), B)
    sell("centro", "v-4", 7_000, march(15))
    message("centro", march(9), "reminder", "sms", 3, 36)
    message("shopping", march(15), "welcome", "whatsapp", 2, 70)


def test_the_roll_up_folds_the_month_s_day_counters_into_the_month_item(network):
    report = rollup.roll_up(TENANT, march(15))
    assert report["rolled_up"] == 3
    days = [march(n) for n in range(1, 16)]
    for store in STORES:
        item = month_item(store, "2026-03")
        assert {name: int(getattr(item, name)) for name in FLOWS} == day_sums(store, days)
        assert item.through == "2026-03-15"
    centro = month_item("centro", "2026-03")
    assert (centro.sales, centro.revenue, centro.identified_sales) == (3, 22_000, 1)
    assert centro.messages.as_dict() == {
        "2026-03-09": {"reminder:sms": {"sent": 3, "segments": 0, "cost": 36, "failed": 0}}
    }
    assert month_item("bairro", "2026-03").sales == 0


def test_a_rerun_reads_no_day_counter_and_changes_nothing(network):
    rollup.roll_up(TENANT, march(15))
    before = {store: month_item(store, "2026-03").serialize() for store in STORES}
    with counting_dynamodb_calls() as calls:
        report = rollup.roll_up(TENANT, march(15))
    assert report["rolled_up"] == 0
    assert dict(calls) == {"Query": 1, "BatchGetItem": 1}  # the stores, their month items
    assert {store: month_item(store, "2026-03").serialize() for store in STORES} == before


def test_a_sale_after_the_roll_up_counts_at_once_from_today_s_counter(network):
    rollup.roll_up(TENANT, march(15))
    sell("centro", "v-5", 3_000, march(16))
    with counting_dynamodb_calls() as calls:
        found = figures.month_so_far(TENANT, STORES, "2026-03", march(16))
    assert dict(calls) == {"BatchGetItem": 1}  # month items and today's counters together
    assert (found["centro"].counts["sales"], found["centro"].counts["revenue"]) == (4, 25_000)
    assert found["centro"].through == "2026-03-16"
    assert found["shopping"].counts["revenue"] == 20_000


def test_a_missing_or_stale_roll_up_still_gives_the_right_figures(network):
    days = [march(n) for n in range(1, 17)]
    missing = figures.month_so_far(TENANT, STORES, "2026-03", march(16))
    assert {store: missing[store].counts for store in STORES} == {
        store: day_sums(store, days) for store in STORES
    }
    rollup.roll_up(TENANT, march(8))
    sell("centro", "v-5", 3_000, march(12))
    stale = figures.month_so_far(TENANT, STORES, "2026-03", march(16))
    assert stale["centro"].counts == day_sums("centro", days)
    assert stale["centro"].counts["revenue"] == 25_000


def test_on_the_1st_the_roll_up_completes_the_month_that_ended(network):
    sell("centro", "v-5", 1_000, march(31))
    report = rollup.nightly(TENANT, date(2026, 4, 1))
    assert (report["month"], report["through"]) == ("2026-03", "2026-03-31")
    assert (month_item("centro", "2026-03").sales, month_item("centro", "2026-03").revenue) == (
        4,
        23_000,
    )
    assert rollup.done(TENANT, date(2026, 4, 1))
    sell("shopping", "v-6", 4_000, date(2026, 4, 1))
    with counting_dynamodb_calls() as calls:
        april = figures.month_so_far(TENANT, STORES, "2026-04", date(2026, 4, 1))
    assert dict(calls) == {"BatchGetItem": 1}
    assert (april["shopping"].counts["revenue"], april["centro"].counts["sales"]) == (4_000, 0)


def test_mensagens_by_day_are_the_month_items_days_plus_today(network):
    rollup.roll_up(TENANT, march(15))
    message("centro", march(16), "reminder", "email", 1, 0)
    with counting_dynamodb_calls() as calls:
        found = figures.message_days(TENANT, STORES, "2026-03", march(16))
    assert "Query" not in calls
    assert found == {
        "2026-03-09": {"reminder:sms": {"sent": 3, "segments": 0, "cost": 36, "failed": 0}},
        "2026-03-15": {"welcome:whatsapp": {"sent": 2, "segments": 0, "cost": 70, "failed": 0}},
        "2026-03-16": {"reminder:email": {"sent": 1, "segments": 0, "cost": 0, "failed": 0}},
    }
    assert figures.message_days(TENANT, ["centro"], "2026-03", march(31)) == {
        "2026-03-09": found["2026-03-09"],
        "2026-03-16": found["2026-03-16"],
    }


def test_inicio_shows_a_sale_made_after_last_night_s_roll_up(aws):
    seed_network()
    now = datetime.now(UTC)
    today = now.astimezone(ZONE).date()
    record_sale(_caller("centro"), _sale("v-1", 10_000, now.isoformat(), A), now=now)
    rollup.roll_up(TENANT, today - timedelta(days=1))
    record_sale(_caller("centro"), _sale("v-2", 5_000, now.isoformat(), None), now=now)
    sales = rows_by_label(tables(home(ADMIN, {}).body)["grupo-2"])
    assert sales["Vendas"][0] == "2"
    assert sales["Faturamento (menos devoluções)"][0] == "R$ 150,00"


def transactions_of(run) -> list[list[str]]:
    """The keys (pk) of the items each TransactWriteItems of `run` writes."""
    written: list[list[str]] = []

    def hook(params, **_):
        written.append(
            [
                next(iter(action.values()))["Key" if "Update" in action else "Item"]["pk"]["S"]
                if "Update" in action or "Put" in action
                else next(iter(action.values()))["Key"]["pk"]["S"]
                for action in params["TransactItems"]
            ]
        )

    client = aws.client("dynamodb")
    client.meta.events.register("provide-client-params.dynamodb.TransactWriteItems", hook)
    try:
        run()
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb.TransactWriteItems", hook)
    return written


def test_a_sale_and_a_redemption_write_what_they_wrote_before_the_dashboard(aws):
    seed_network()
    now = datetime.now(UTC)
    at = now.isoformat()
    anonymous = transactions_of(
        lambda: record_sale(_caller("centro"), _sale("v-1", 5_000, at, None), now=now)
    )
    known = transactions_of(
        lambda: record_sale(_caller("centro"), _sale("v-2", 10_000, at, A), now=now)
    )
    redemption = {
        "redemption_id": "r-1",
        "customer": {"cpf": A},
        "benefit_id": "dez",
        "purchase_total": 6_000,
        "occurred_at": at,
    }
    redeemed = transactions_of(lambda: redeem_benefit(_caller("shopping"), redemption, now=now))
    assert [len(items) for items in (*anonymous, *known, *redeemed)] == [2, 6, 7]
    assert not [pk for items in (*anonymous, *known, *redeemed) for pk in items if "#MONTH#" in pk]


def test_ops_roll_up_a_tenant_from_the_command_line(network, capsys):
    from cli.main import main

    assert main(["metrics", "rollup", "--tenant", TENANT, "--date", "2026-03-15"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        f"Totais de 2026-03 até 2026-03-15 da rede {TENANT}: 3 de 3 lojas somadas "
        "(as outras já estavam em dia)."
    )
    assert (month_item("centro", "2026-03").revenue, month_item("centro", "2026-03").through) == (
        22_000,
        "2026-03-15",
    )
    assert main(["metrics", "rollup", "--tenant", "nada"]) == 1


def test_the_demo_seed_leaves_inicio_with_this_month_s_figures(aws):
    from bemtevi.domain.staff import Manager, Role
    from infra.seed import DEMO_STORES, seed_demo_network, seed_demo_sales

    seed_demo_network()
    now = datetime.now(UTC)
    report = seed_demo_sales(now)
    local = now.astimezone(ZONE)
    days = local.day if (local.hour, local.minute) >= (0, 5) else local.day - 1
    assert report["through"] == (local.date() - timedelta(days=1)).isoformat()
    admin = Manager("u-9", "rede@demo.example", "demo", Role.NETWORK)
    sales = rows_by_label(tables(home(admin, {}).body)["grupo-2"])
    assert sales["Vendas"][0] == str(2 * len(DEMO_STORES) * days)
    assert seed_demo_sales(now)["rolled_up"] == 0  # a rerun replays the sales
