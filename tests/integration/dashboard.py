"""A scripted network for the dashboard's tests: three stores, two closed months of
snapshots (the seed's before/after case: the second month has half the discount and twice
the sales), this month's sales and a redemption through the real functions, and a
message counter. Also: reading a page's tables as text."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from bemtevi.domain.metrics import FLOWS, NETWORK, STATE, MonthSnapshot
from bemtevi.domain.months import month_of, previous_month
from bemtevi.domain.staff import Manager, Role
from bemtevi.store import metrics
from bemtevi.store.models import MessageCounterRecord
from functions.common.auth import StoreIdentity
from functions.loyalty.redemptions import redeem_benefit
from functions.loyalty.sales import record_sale
from functions.network import benefit_rules, stores

TENANT = "rede-painel"
ZONE = ZoneInfo("America/Sao_Paulo")
NAMES = {"centro": "Loja Centro", "shopping": "Shopping Sul", "bairro": "Bairro Alto"}
A, B = "529.982.247-25", "111.444.777-35"
ADMIN = Manager("u-1", "gestora@rede.com.br", TENANT, Role.NETWORK)
CENTRO = Manager("u-2", "centro@rede.com.br", TENANT, Role.STORE, frozenset({"centro"}))
OUTSIDER = Manager("u-3", "outra@rede.com.br", "outra-rede", Role.NETWORK)


def months() -> tuple[str, str, str]:
    """(before, after, current): the two closed months and this one (tenant time)."""
    current = month_of(datetime.now(ZONE).date())
    after = previous_month(current)
    return previous_month(after), after, current


def counts(**values: int) -> dict[str, int]:
    return {name: values.get(name, 0) for name in FLOWS}


def state(**values: int) -> dict[str, int]:
    return {name: values.get(name, 0) for name in STATE}


def snapshot(scope: str, month: str, flows: dict, photo: dict) -> MonthSnapshot:
    as_of = f"{month}-28"
    return MonthSnapshot(scope, month, as_of, as_of, flows, flows, photo, {}, {})


# per store: (before, after) month counts; the network's are their sums
BEFORE = {
    "centro": counts(
        sales=60,
        earning_sales=30,
        revenue=600_000,
        gross=620_000,
        redemptions=12,
        benefit_value=24_000,
    ),
    "shopping": counts(
        sales=40,
        earning_sales=10,
        revenue=400_000,
        gross=410_000,
        redemptions=8,
        benefit_value=16_000,
    ),
}
# the second month: twice the sales, half the redemptions and the discount
AFTER = {
    store: counts(
        **{name: flows[name] * 2 for name in ("sales", "earning_sales", "revenue", "gross")},
        **{name: flows[name] // 2 for name in ("redemptions", "benefit_value")},
    )
    for store, flows in BEFORE.items()
}
PHOTO = {
    "centro": state(
        customers_with_points=30,
        customers_can_redeem=10,
        outstanding_points=3000,
        liability=60_000,
        active_customers=50,
    ),
    "shopping": state(
        customers_with_points=12,
        customers_can_redeem=4,
        outstanding_points=1000,
        liability=20_000,
        active_customers=20,
    ),
}


def seed_network() -> None:
    stores.create_tenant(TENANT, "Rede Painel")
    for store_id, name in NAMES.items():
        stores.add_store(TENANT, store_id, name)
    benefit_rules.add_benefit(TENANT, "dez", "R$ 10", 50, discount=1000)
    before, after, _ = months()
    saved = []
    for month, flows in ((before, BEFORE), (after, AFTER)):
        for store_id, found in flows.items():
            saved.append(snapshot(store_id, month, found, PHOTO[store_id]))
        total = counts(**{n: sum(f[n] for f in flows.values()) for n in FLOWS})
        photo = state(**{n: sum(p[n] for p in PHOTO.values()) for n in STATE})
        saved.append(snapshot(NETWORK, month, total, photo))
    metrics.save(TENANT, saved)


def seed_this_month(now: datetime | None = None) -> None:
    """centro: R$ 100,00 by A and R$ 50,00 anonymous; shopping: R$ 200,00 by B, and A
    redeems R$ 10,00 (50 points earned at centro) buying R$ 60,00."""
    now = now or datetime.now(UTC)
    centro, shopping = (_caller(store) for store in ("centro", "shopping"))
    at = now.isoformat()
    record_sale(centro, _sale("v-1", 10_000, at, A), now=now)
    record_sale(centro, _sale("v-2", 5_000, at, None), now=now)
    record_sale(shopping, _sale("v-3", 20_000, at, B), now=now)
    redemption = {
        "redemption_id": "r-1",
        "customer": {"cpf": A},
        "benefit_id": "dez",
        "purchase_total": 6_000,
        "occurred_at": at,
    }
    redeem_benefit(shopping, redemption, now=now)
    day = now.astimezone(ZONE).date().isoformat()
    MessageCounterRecord(
        *MessageCounterRecord.keys(TENANT, "centro", day, "reminder", "sms"),
        store_id="centro",
        day=day,
        message_kind="reminder",
        channel="sms",
        sent=3,
        segments=4,
        cost=36,
        failed=1,
    ).save()
    MessageCounterRecord(
        *MessageCounterRecord.keys(TENANT, "shopping", day, "welcome", "whatsapp"),
        store_id="shopping",
        day=day,
        message_kind="welcome",
        channel="whatsapp",
        sent=2,
        segments=0,
        cost=70,
    ).save()


def _caller(store_id: str) -> StoreIdentity:
    return StoreIdentity(TENANT, store_id, "")


def _sale(sale_id: str, total: int, at: str, cpf: str | None) -> dict:
    payload = {"sale_id": sale_id, "occurred_at": at, "total": total}
    return payload | ({"customer": {"cpf": cpf}} if cpf else {})


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("data-testid", f"t{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table of a page by its data-testid: rows of cell texts (spaces collapsed)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def rows_by_label(table: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table[1:]}
