"""A three-store network lives through two months over the HTTP API of the local stack,
and its metrics and invoice lines equal the values worked out by hand below.

The server judges redemptions at its own clock, so the months are placed around today
(T, São Paulo time): month 1 is the month of T-45, whose sales are posted with their
past `occurred_at` and whose snapshot is taken as of T-44; month 2 is T's month, lived
today, with its snapshot as of T+1. Its compensation is closed with the job's date (the
1st of the next month), after which a redemption and a cancellation of month 2 arrive
late and go to the month after, closed in turn. Each job then runs again and nothing
changes.

Hand computation (points: R$ 1,00 = 1 point; validity 60 days; "dez": 100 points for
R$ 10,00 over R$ 50,00; "vinte": 250 points for R$ 25,00; a point is worth R$ 0,10):

Month 1, on T-45: X buys R$ 200 at norte (200 points), Y R$ 150 minus R$ 10 discount at
sul (140), an anonymous R$ 80 at leste, X R$ 50 at sul (50, a returning sale, X's last
store becomes sul); X returns R$ 50 of the first sale at norte (50 points back).
  4 sales, 3 identified, 3 earning (75%), 1 returning of 3 (33.33%), revenue 470 - 50
  returned = R$ 420, ticket 470 / 4 = R$ 117,50, 390 points, 2 new customers.
  State as of T-44: X (norte 150 + sul 50) and Y (sul 140), both at sul and both able
  to redeem; 340 points = R$ 34,00 (norte 150 = R$ 15, sul 190 = R$ 19).

Month 2, today: Z buys R$ 300 at norte (300); X R$ 120 at leste (120, returning); Z
redeems "dez" at sul (100 norte points: norte owes sul R$ 10) buying R$ 70, and at leste
buying R$ 60, cancelled; X redeems "vinte" at leste buying R$ 90 with norte 150, sul 50
and leste 50 points (norte owes leste R$ 15, sul owes leste R$ 5); an anonymous R$ 40 at
sul; W's sale of T-80 at leste (90 points) is posted, already expired (90 expire today,
at leste).
  Compensation of month 2: norte owes R$ 25, sul owes R$ 5 and receives R$ 10, leste
  receives R$ 20. Then, late: Z redeems "dez" at leste buying R$ 80 (norte owes leste
  R$ 10) and the redemption at sul is cancelled (sul gives back R$ 10): the month after
  holds those two corrections, marked late from month 2.
  Flows of month 2: 3 sales, revenue R$ 460, 420 points issued; redemptions at sul 1
  (cancelled), at leste 3 (1 cancelled): 2 visits, discount 25 + 10 = R$ 35, spent by
  redeeming customers 90 + 80 = R$ 170; 550 - 200 restored = 350 points redeemed.
  State as of T+1: Z (norte 200), Y (sul 140), X (leste 70, below 100); active: X, Z
  today, Y on T-45, W on T-80.
"""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from bemtevi.domain.months import month_of, next_month
from bemtevi.security.signing import signed_headers
from tests.contract import assert_response_matches
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.slow

ZONE = ZoneInfo("America/Sao_Paulo")
TENANT = "e2e-mensal"
X, Y, Z, W = "529.982.247-25", "111.444.777-35", "390.533.447-05", "393.993.767-37"
# several `bemtevi` commands in one Python process, their outputs as a JSON list
MANY_COMMANDS = """
import contextlib, io, json, sys
from cli.main import main
outputs = []
for argv in json.load(sys.stdin):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(argv) == 0, argv
    outputs.append(printed.getvalue())
print(json.dumps(outputs))
"""


class Network:
    """The tenant on the local stack: its stores' signed HTTP calls and the `bemtevi`
    command against the stack's emulated AWS."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.stores: dict[str, dict] = {}
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.environment.update(
            AWS_ENDPOINT_URL=stack.aws_endpoint,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION="sa-east-1",
            BEMTEVI_STAGE="local",
            POWERTOOLS_METRICS_DISABLED="true",
            POWERTOOLS_LOG_LEVEL="WARNING",
        )

    def cli(self, *argv: str, json_output: bool = True) -> object:
        command = [sys.executable, "-m", "cli.main", *argv, *(["--json"] if json_output else [])]
        done = subprocess.run(
            command, cwd=ROOT, env=self.environment, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if json_output else done.stdout

    def clis(self, *commands: list[str]) -> list:
        """Several `bemtevi ... --json` commands in one process (each Python start costs
        about a second)."""
        done = subprocess.run(
            [sys.executable, "-c", MANY_COMMANDS],
            input=json.dumps([[*argv, "--json"] for argv in commands]),
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return [json.loads(output) for output in json.loads(done.stdout)]

    def call(self, store: str, method: str, path: str, body: dict | None = None) -> dict:
        raw = b"" if body is None else json.dumps(body).encode()
        headers = signed_headers(
            self.stores[store]["key_id"], self.stores[store]["secret"], method, path, raw
        )
        if raw:
            headers["Content-Type"] = "application/json"
        response = requests.request(
            method, f"{self.stack.base_url}{path}", data=raw, headers=headers, timeout=60
        )
        assert_response_matches(method.lower(), path, response.status_code, response.json())
        assert response.status_code < 300, response.json()
        return response.json()

    def sale(self, store: str, sale_id: str, total: int, at: datetime, cpf=None, discount=0):
        body = {"sale_id": sale_id, "occurred_at": at.isoformat(), "total": total}
        if discount:
            body["discount"] = discount
        if cpf:
            body["customer"] = {"cpf": cpf}
        return self.call(store, "POST", "/v1/sales", body)

    def redeem(self, store: str, redemption_id: str, cpf: str, benefit: str, purchase: int):
        body = {
            "redemption_id": redemption_id,
            "customer": {"cpf": cpf},
            "benefit_id": benefit,
            "purchase_total": purchase,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        return self.call(store, "POST", "/v1/redemptions", body)


def _clear_of_midnight() -> datetime:
    """The script lives "today": start it well clear of local midnight."""
    now = datetime.now(ZONE)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight - now < timedelta(minutes=10):
        time.sleep((midnight - now).total_seconds() + 5)
    return datetime.now(ZONE)


def test_two_months_of_a_network_equal_the_hand_computed_values(local_stack):
    net = Network(local_stack)
    net.cli("tenant", "create", "--id", TENANT, "--name", "Rede Mensal")
    for store in ("norte", "sul", "leste"):
        net.stores[store] = net.cli(
            "store", "add", "--tenant", TENANT, "--id", store, "--name", store
        )
    net.cli("program", "set", "--tenant", TENANT, "--validity-days", "60")
    dez = ["--id", "dez", "--description", "R$ 10", "--points", "100", "--discount", "10,00"]
    net.cli("benefit", "add", "--tenant", TENANT, *dez, "--minimum-purchase", "50,00")
    vinte = ["--id", "vinte", "--description", "R$ 25", "--points", "250", "--discount", "25,00"]
    net.cli("benefit", "add", "--tenant", TENANT, *vinte)

    now = _clear_of_midnight()
    today = now.date()
    d1 = today - timedelta(days=45)
    month1, month2 = month_of(d1), month_of(today)
    month3 = next_month(month2)

    def on_d1(hour: int) -> datetime:
        return datetime(d1.year, d1.month, d1.day, hour, tzinfo=ZONE)

    # month 1
    net.sale("norte", "s1", 20000, on_d1(10), cpf=X)
    net.sale("sul", "s2", 15000, on_d1(11), cpf=Y, discount=1000)
    net.sale("leste", "s3", 8000, on_d1(12))
    net.sale("sul", "s4", 5000, on_d1(14), cpf=X)
    back = {"return_id": "d1", "amount": 5000, "occurred_at": on_d1(16).isoformat()}
    assert net.call("norte", "POST", "/v1/sales/s1/cancel", back)["points_reversed"] == 50
    as_of_1 = (d1 + timedelta(days=1)).isoformat()
    net.cli("jobs", "run", "metrics", "--tenant", TENANT, "--date", as_of_1)

    # month 2
    net.sale("norte", "s5", 30000, now - timedelta(seconds=30), cpf=Z)
    net.sale("leste", "s6", 12000, now - timedelta(seconds=20), cpf=X)
    net.redeem("sul", "ra", Z, "dez", 7000)
    net.redeem("leste", "rb", Z, "dez", 6000)
    net.call("leste", "POST", "/v1/redemptions/rb/cancel")
    assert net.redeem("leste", "rc", X, "vinte", 9000)["balance"] == 70
    net.sale("sul", "s7", 4000, now - timedelta(seconds=10))
    expired = net.sale("leste", "s8", 9000, now - timedelta(days=80), cpf=W)
    assert (expired["points_earned"], expired["balance"]) == (90, 0)
    first_of_3 = f"{month3}-01"
    closed = net.cli("jobs", "run", "compensation", "--tenant", TENANT, "--date", first_of_3)
    assert (closed["month"], closed["lines"], closed["owed"], closed["receivable"]) == (
        month2,
        6,
        3000,
        3000,
    )

    # late: month 2 is closed
    net.redeem("leste", "rd", Z, "dez", 8000)
    net.call("sul", "POST", "/v1/redemptions/ra/cancel")
    first_of_4 = f"{next_month(month3)}-01"
    late = net.cli("jobs", "run", "compensation", "--tenant", TENANT, "--date", first_of_4)
    assert (late["month"], late["lines"], late["late_lines"], late["owed"]) == (month3, 4, 4, 0)
    as_of_2 = (today + timedelta(days=1)).isoformat()
    net.cli("jobs", "run", "metrics", "--tenant", TENANT, "--date", as_of_2)

    _check_metrics(net, month1, month2, as_of_1, as_of_2)
    _check_invoices(net, month2, month3)
    _check_reruns_change_nothing(net, month1, month2, month3, as_of_1, as_of_2)


def _network_months(net: Network, month1: str, month2: str) -> dict:
    shown = net.cli("metrics", "show", "--tenant", TENANT, "--a", f"{month1}..{month2}")
    return {month["month"]: month for month in shown["months"]}


def _check_metrics(net: Network, month1: str, month2: str, as_of_1: str, as_of_2: str):
    months = _network_months(net, month1, month2)
    assert sorted(months) == [month1, month2]
    first, second = months[month1], months[month2]
    assert (first["as_of"], second["as_of"]) == (as_of_1, as_of_2)
    assert first["figures"] == {
        "customers_with_points": 2,
        "customers_can_redeem": 2,
        "active_customers": 2,
        "new_customers": 2,
        "returning_rate_bp": 3333,
        "sales": 4,
        "gross_revenue": 48000,  # before s2's R$ 10,00 discount and s1's return
        "revenue": 42000,
        "average_ticket": 11750,
        "earning_sales_share_bp": 7500,
        "visits_with_redemption": 0,
        "discount_granted": 0,
        "average_discount": None,
        "redeeming_spend": 0,
        "spend_per_redeeming_visit": None,
        "points_issued": 390,
        "points_redeemed": 0,
        "points_expired": 0,
        "points_adjusted": 0,
        "outstanding_points": 340,
        "liability": 3400,
        "messages_sent": 0,
        "messages_cost": 0,
        "compensation_owed": 0,
        "compensation_receivable": 0,
        "compensation_net": 0,
    }
    assert second["figures"] == {
        "customers_with_points": 3,
        "customers_can_redeem": 2,
        "active_customers": 4,
        "new_customers": 1,
        "returning_rate_bp": 5000,
        "sales": 3,
        "gross_revenue": 46000,
        "revenue": 46000,
        "average_ticket": 15333,
        "earning_sales_share_bp": 6667,
        "visits_with_redemption": 2,
        "discount_granted": 3500,
        "average_discount": 1750,
        "redeeming_spend": 17000,
        "spend_per_redeeming_visit": 8500,
        "points_issued": 420,
        "points_redeemed": 350,
        "points_expired": 90,
        "points_adjusted": 0,
        "outstanding_points": 410,
        "liability": 4100,
        "messages_sent": 0,
        "messages_cost": 0,
        "compensation_owed": 3000,
        "compensation_receivable": 3000,
        "compensation_net": 0,
    }
    assert second["last_30_days"] == {
        "customers_with_points": 3,
        "customers_can_redeem": 2,
        "discount_granted": 3500,
        "visits_with_redemption": 2,
        "redeeming_spend": 17000,
        "earning_sales_share_bp": 6667,
    }
    assert first["last_30_days"]["earning_sales_share_bp"] == 7500

    stores = ("norte", "sul", "leste")
    range_ = f"{month1}..{month2}"
    shown = net.clis(
        *(["metrics", "show", "--tenant", TENANT, "--store", s, "--a", range_] for s in stores)
    )
    per_store = {
        store: {m["month"]: m["figures"] for m in found["months"]}
        for store, found in zip(stores, shown, strict=True)
    }
    pick = ("sales", "revenue", "customers_with_points", "active_customers", "liability")
    assert {s: [per_store[s][month1][f] for f in pick] for s in per_store} == {
        "norte": [1, 15000, 0, 0, 1500],
        "sul": [2, 19000, 2, 2, 1900],
        "leste": [1, 8000, 0, 0, 0],
    }
    pick = (
        "visits_with_redemption",
        "discount_granted",
        "redeeming_spend",
        "points_expired",
        "customers_with_points",
        "customers_can_redeem",
        "active_customers",
        "liability",
        "compensation_owed",
        "compensation_receivable",
    )
    assert {s: [per_store[s][month2][f] for f in pick] for s in per_store} == {
        "norte": [0, 0, 0, 0, 1, 1, 1, 2000, 2500, 0],
        "sul": [0, 0, 0, 0, 1, 1, 1, 1400, 500, 1000],
        "leste": [2, 3500, 17000, 90, 1, 0, 2, 700, 0, 2000],
    }

    # the store over HTTP: its own months only
    own = net.call("leste", "GET", f"/v1/metrics?from={month1}&to={month2}")
    assert [m["month"] for m in own["months"]] == [month1, month2]
    assert own["months"][1]["figures"] == per_store["leste"][month2]

    compared = net.cli("metrics", "compare", "--tenant", TENANT, "--a", month1, "--b", month2)
    rows = {row["figure"]: row for row in compared["figures"]}
    assert rows["sales"] == {"figure": "sales", "a": 4, "b": 3, "change_bp": -2500}
    assert rows["revenue"]["change_bp"] == 952
    assert rows["average_discount"] == {
        "figure": "average_discount",
        "a": None,
        "b": 1750,
        "change_bp": None,
    }
    readable = net.cli(
        "metrics", "compare", "--tenant", TENANT, "--a", month1, "--b", month2, json_output=False
    )
    assert "Desconto médio por troca" in readable
    assert "-25,0%" in readable


def _check_invoices(net: Network, month2: str, month3: str):
    asked = [(store, month) for month in (month2, month3) for store in ("norte", "sul", "leste")]
    statements = net.clis(
        *(
            ["compensation", "statement", "--tenant", TENANT, "--store", store, "--month", month]
            for store, month in asked
        )
    )
    found = dict(zip(asked, statements, strict=True))

    def lines(store: str, month: str) -> list[tuple]:
        statement = found[(store, month)]
        assert statement["closed"] is True
        return [
            (line["counterparty"], line["owes"], line["receives"], line["net"], line["late_from"])
            for line in statement["lines"]
        ]

    assert lines("norte", month2) == [("leste", 1500, 0, -1500, []), ("sul", 1000, 0, -1000, [])]
    assert lines("sul", month2) == [("leste", 500, 0, -500, []), ("norte", 0, 1000, 1000, [])]
    assert lines("leste", month2) == [("norte", 0, 1500, 1500, []), ("sul", 0, 500, 500, [])]
    assert lines("norte", month3) == [
        ("leste", 1000, 0, -1000, [month2]),
        ("sul", -1000, 0, 1000, [month2]),
    ]
    assert lines("sul", month3) == [("norte", 0, -1000, -1000, [month2])]
    assert lines("leste", month3) == [("norte", 0, 1000, 1000, [month2])]

    own = net.call("sul", "GET", f"/v1/compensation?month={month2}")
    assert (own["store"], own["closed"], own["totals"]["net"]) == ("sul", True, 500)
    readable = net.cli(
        "compensation",
        "statement",
        "--tenant",
        TENANT,
        "--store",
        "norte",
        "--month",
        month2,
        json_output=False,
    )
    assert "Saldo: R$\xa025,00 a pagar." in readable


def _check_reruns_change_nothing(net, month1, month2, month3, as_of_1, as_of_2):
    def everything() -> list:
        scopes = ([], ["--store", "norte"], ["--store", "sul"], ["--store", "leste"])
        return net.clis(
            *(
                ["metrics", "show", "--tenant", TENANT, *scope, "--a", f"{month1}..{month2}"]
                for scope in scopes
            ),
            *(
                ["compensation", "export", "--tenant", TENANT, "--month", m]
                for m in (month2, month3)
            ),
        )

    before = everything()
    assert before[4]["csv"].count("\n") == 7  # the header and 6 lines
    runs = net.clis(
        ["jobs", "run", "metrics", "--tenant", TENANT, "--date", as_of_1],
        ["jobs", "run", "metrics", "--tenant", TENANT, "--date", as_of_2],
        ["jobs", "run", "compensation", "--tenant", TENANT, "--date", f"{month3}-01"],
        ["jobs", "run", "compensation", "--tenant", TENANT, "--date", f"{next_month(month3)}-01"],
    )
    assert [run["month"] for run in runs] == [month1, month2, month2, month3]
    assert everything() == before
