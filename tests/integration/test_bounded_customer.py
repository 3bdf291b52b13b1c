"""A customer item that stays small whatever the number of sales: lots merge by store,
expiry day and pending day; returns of merged sales still reverse exactly what each sale
earned; a write DynamoDB refuses is a 422 in the error envelope."""

import copy
from datetime import UTC, datetime, timedelta

import pytest
from pynamodb.exceptions import PutError

from bemtevi.domain.customers import customer_id_for
from bemtevi.domain.ledger import MAX_LOTS
from bemtevi.store.customers import ledger, points_of
from bemtevi.store.models import CustomerRecord, SaleRecord
from functions.common import tenancy
from functions.loyalty.redemptions import redeem_benefit
from functions.loyalty.returns import return_sale
from functions.loyalty.sales import record_sale
from tests.integration.conftest import TENANT
from tests.integration.test_sales import CPF, PHONE, sale

T0 = datetime(2026, 3, 2, 13, tzinfo=UTC)  # 10:00 in São Paulo


@pytest.fixture
def no_rollback_copies(monkeypatch):
    """moto deep-copies every table a transaction touches (to roll back); 5,000
    transactions over a growing table would take many minutes. The test checks what is
    written, not rollbacks."""
    import moto.dynamodb.models as dynamodb
    from moto.dynamodb.models.table import Table

    deep = copy.deepcopy

    class Shallow:
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else deep(value, memo)

    monkeypatch.setattr(dynamodb, "copy", Shallow)


def _customer() -> CustomerRecord:
    pepper = tenancy.tenant(TENANT).pepper
    keys = CustomerRecord.keys(TENANT, customer_id_for(pepper, "52998224725", None))
    return CustomerRecord.get(*keys, consistent_read=True)


def _books_hold(customer: CustomerRecord) -> None:
    points = points_of(customer)
    entries = ledger(TENANT, customer.customer_id)
    assert customer.balance == points.balance == sum(lot.remaining for lot in points.lots)
    assert points.balance == sum(int(entry.points) for entry in entries) >= 0
    assert points.debt == sum(int(entry.debt) for entry in entries) >= 0
    for entry in entries:
        assert sum(int(change) for change in entry.lots.as_dict().values()) == entry.points


def test_5000_sales_of_one_cpf_are_all_accepted_and_the_books_hold(shop, no_rollback_copies):
    for n in range(5000):
        at = T0 + timedelta(days=n // 40, minutes=15 * (n % 40))
        payload = sale(f"v-{n}", total=1000 + n % 7, at=at, customer={"cpf": CPF})
        answer = record_sale(shop, payload, now=at + timedelta(seconds=1))
        assert answer.status == 201, answer.body
    customer = _customer()
    _books_hold(customer)
    assert customer.balance == sum(10 for _ in range(5000))
    assert len(customer.lots) == MAX_LOTS  # 125 store-days, the closest ones merged
    raw = CustomerRecord._get_connection().get_item(customer.pk, customer.sk)["Item"]
    assert len(CustomerRecord.lots.serialize(customer.lots)) < 2_000
    assert sum(len(name) + len(str(value)) for name, value in raw.items()) < 64 * 1024


def test_returns_of_merged_sales_reverse_exactly_what_each_earned(shop):
    """Three sales on one day share one lot; a redemption spends part of it; partial and
    full returns take back each sale's own points, no more, and the books hold."""
    totals = {"v-1": 10000, "v-2": 5050, "v-3": 2999}
    for n, (sale_id, total) in enumerate(totals.items()):
        at = T0 + timedelta(hours=n)
        record_sale(shop, sale(sale_id, total=total, at=at, customer={"cpf": CPF}), now=at)
    customer = _customer()
    assert [(lot.lot_id, lot.amount, lot.remaining) for lot in customer.lots] == [
        ("loja-1:v-1", 179, 179)
    ]
    sales = {
        sale_id: SaleRecord.get(*SaleRecord.keys(TENANT, "loja-1", sale_id)) for sale_id in totals
    }
    assert {s.sale_id: (s.lot_id, s.points_earned) for s in sales.values()} == {
        "v-1": ("loja-1:v-1", 100),
        "v-2": ("loja-1:v-1", 50),
        "v-3": ("loja-1:v-1", 29),
    }
    later = T0 + timedelta(days=1)
    redemption = {
        "redemption_id": "r-1",
        "customer": {"cpf": CPF},
        "benefit_id": "dez",
        "purchase_total": 5000,
        "occurred_at": later.isoformat(),
    }
    assert redeem_benefit(shop, redemption, now=later).body["balance"] == 79
    partial = return_sale(shop, "v-2", {"return_id": "d-1", "amount": 2525}, now=later).body
    assert (partial["points_reversed"], partial["points_recovered"], partial["debt"]) == (25, 25, 0)
    rest = return_sale(shop, "v-2", {}, now=later).body
    assert (rest["points_reversed"], rest["balance"]) == (25, 29)
    whole = return_sale(shop, "v-1", {}, now=later).body
    assert whole["points_reversed"] == 100
    assert (whole["points_recovered"], whole["debt_created"], whole["balance"]) == (29, 71, 0)
    customer = _customer()
    assert (customer.balance, customer.debt, customer.lots) == (0, 71, [])
    _books_hold(customer)
    reversed_by_sale = {
        sale_id: int(SaleRecord.get(*SaleRecord.keys(TENANT, "loja-1", sale_id)).points_reversed)
        for sale_id in totals
    }
    assert reversed_by_sale == {"v-1": 100, "v-2": 50, "v-3": 0}


def test_a_write_dynamodb_refuses_is_a_422_in_the_envelope_and_writes_nothing(pos):
    """An item over DynamoDB's 400 KB (here a customer made huge behind the app's back)
    is refused by DynamoDB: the POS gets the documented envelope, not a 500."""
    first = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF})).json_body
    customer = CustomerRecord.get(*CustomerRecord.keys(TENANT, first["customer_id"]))
    for size in range(404_900, 400_000, -50):  # as big as DynamoDB (moto) takes
        customer.name = "x" * size
        try:
            customer.save()
            break
        except PutError:
            continue
    grown = {"cpf": CPF, "phone": PHONE, "email": "maria@exemplo.com.br"}
    answer = pos.post("/v1/sales", sale("v-2", customer=grown))
    assert answer.status_code == 422
    assert answer.json_body["error"] == {
        "code": "record_refused",
        "message": answer.json_body["error"]["message"],
        "field": None,
    }
    assert SaleRecord.count(SaleRecord.keys(TENANT, "loja-1", "v-2")[0]) == 0
    assert CustomerRecord.get(*CustomerRecord.keys(TENANT, first["customer_id"])).phone is None
