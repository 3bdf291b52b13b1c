"""The storage seam (issue 12): one module per table behind `bemtevi.store.models`, one
connection for every repository, and domain dataclasses that map to their records and
back without losing anything a write carries (the revision included)."""

import ast
import importlib
import inspect
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pynamodb.attributes import MapAttribute
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from bemtevi.domain.customers import Customer
from bemtevi.domain.ledger import Lot
from bemtevi.domain.messaging import Message
from bemtevi.domain.operations import RecordedRedemption, RecordedSale

STORE = Path(__file__).resolve().parents[2] / "layers" / "bemtevi" / "store"
TABLE_MODULES = {"network": "network_table", "customers": "customers_table", "sales": "sales_table"}
NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)


def test_each_table_has_its_module_and_every_model_is_exported_from_models():
    models = importlib.import_module("bemtevi.store.models")
    for table, module_name in TABLE_MODULES.items():
        module = importlib.import_module(f"bemtevi.store.models.{module_name}")
        assert models.TABLES[table].__module__ == module.__name__
        defined = [
            name
            for name, value in vars(module).items()
            if inspect.isclass(value)
            and value.__module__ == module.__name__
            and issubclass(value, Model | MapAttribute | GlobalSecondaryIndex)
        ]
        assert defined, module_name
        for name in defined:
            assert getattr(models, name) is getattr(module, name)
            assert name in models.__all__


def test_every_item_kind_lives_in_its_tables_module():
    from bemtevi.store.models import TABLES

    for table, root in TABLES.items():
        discriminator = root._get_discriminator_attribute()
        kinds = discriminator.get_registered_subclasses(Model)
        assert {kind.__module__ for kind in kinds} == {root.__module__}, table


def test_no_repository_keeps_a_private_copy_of_the_connection():
    """Every repository takes the shared connection from store/connection.py, rather
    than fetching it through one of its models."""
    copies = {}
    for path in sorted(STORE.rglob("*.py")):
        if path.name == "connection.py":
            continue
        calls = [
            node.func.attr
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "_get_connection"
        ]
        if calls:
            copies[path.name] = len(calls)
    assert copies == {}


def _lot(number: int) -> Lot:
    return Lot(
        lot_id=f"loja-1:v-{number}",
        store_id="loja-1",
        sale_id=f"v-{number}",
        earned_at=NOW,
        expires_at=NOW + timedelta(days=180 + number),
        pending_until=NOW,
        amount=100,
        remaining=40 + number,
    )


def _customer() -> Customer:
    return Customer(
        tenant_id="rede-teste",
        customer_id="c123",
        cpf="52998224725",
        phone="+5511987654321",
        phone_hash="ph",
        name="Ana",
        email="ana@example.com",
        birthday="1990-05-01",
        lots=(_lot(1), _lot(2)),
        balance=83,
        debt=0,
        first_credit_at=NOW,
        first_purchase_at=NOW,
        last_purchase_at=NOW,
        visits=2,
        total_spent=12000,
        average_ticket=6000,
        last_store="loja-1",
        last_seller="s1",
        created_at=NOW,
        updated_at=NOW,
        expiry_pk="T#rede-teste#expiry#3",
        next_expiry="2026-09-07T15:30:00+00:00",
        sms_opted_out_at=NOW,
        revision=7,
    )


def test_a_customer_maps_to_its_item_and_back_unchanged():
    from bemtevi.store.customers import customer_of, record_of

    customer = _customer()
    record = record_of(customer)
    assert (record.pk, record.sk) == ("T#rede-teste#C#c123", "CUSTOMER")
    assert record.revision == 7
    assert customer_of(record) == customer
    assert customer.opted_out() == {"sms"}


def test_a_new_customer_is_written_without_a_revision():
    """A new customer's save is conditioned on the revision not existing yet."""
    from bemtevi.store.customers import new_customer, record_of

    record = record_of(new_customer("rede-teste", "c9", NOW))
    assert record.revision is None
    assert "revision" not in record.serialize()


def test_points_set_on_a_copy_leave_the_customer_read_as_it_was():
    from bemtevi.domain.ledger import Points
    from bemtevi.store.customers import shard_of, with_points

    customer = replace(_customer(), lots=(), balance=0, expiry_pk=None, next_expiry=None)
    changed = with_points(customer, Points((_lot(1),)), threshold=10)
    assert (customer.balance, customer.lots, customer.expiry_pk) == (0, (), None)
    assert (changed.balance, changed.lots) == (41, (_lot(1),))
    shard = shard_of("c123")
    assert (changed.expiry_pk, changed.redeemable_pk) == (
        f"T#rede-teste#expiry#{shard}",
        f"T#rede-teste#redeemable#{shard}",
    )


def test_a_sale_and_a_redemption_map_to_their_items_and_back_unchanged():
    from bemtevi.store import sales

    sale = RecordedSale(
        tenant_id="rede-teste",
        store_id="loja-1",
        sale_id="v-1",
        fingerprint="f",
        occurred_at=NOW,
        total=10000,
        discount=0,
        net_total=10000,
        points_earned=100,
        response='{"ok": true}',
        recorded_at=NOW,
        customer_id="c123",
        returned_amount=2000,
        points_reversed=20,
        returns={"d-1": {"amount": 2000, "points": 20, "response": "{}"}},
        revision=2,
    )
    redemption = RecordedRedemption(
        tenant_id="rede-teste",
        store_id="loja-2",
        redemption_id="r-1",
        fingerprint="f",
        customer_id="c123",
        benefit_id="b",
        points=100,
        value=1000,
        purchase_total=5000,
        occurred_at=NOW,
        month="2026-03",
        consumed="[]",
        response="{}",
        recorded_at=NOW,
        parts={"loja-1": 600, "loja-2": 400},
    )
    sale_item = sales.item_of(sale)
    assert (sale_item.pk, sale_item.revision) == ("T#rede-teste#S#loja-1#v-1", 2)
    assert sales.recorded_sale(sale_item) == sale
    redemption_item = sales.item_of(redemption)
    assert "revision" not in redemption_item.serialize()
    assert sales.recorded_redemption(redemption_item) == redemption


def test_a_message_maps_to_its_item_and_back_unchanged():
    from bemtevi.store import messages

    message = Message(
        tenant_id="rede-teste",
        customer_id="c123",
        message_kind="welcome",
        period="ever",
        status="queued",
        created_at=NOW,
        updated_at=NOW,
        store_id="loja-1",
        due_at="2026-03-10T15:30:00+00:00",
        points_earned=100,
    )
    item = messages.item_of(message)
    assert (item.pk, item.sk) == ("T#rede-teste#C#c123", "MSG#welcome#ever")
    assert messages.key_text(message) == item.pk + item.sk
    assert messages.message_of(item) == message
