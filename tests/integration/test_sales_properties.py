"""Through the real functions and tables: random sales, returns and partial returns leave
every balance equal to the sum of its live lots, never below zero, and explained by the
ledger."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bemtevi.errors import BemteviError
from bemtevi.store.customers import identity_for, ledger
from bemtevi.store.models import CustomerRecord
from functions.common.auth import StoreIdentity
from functions.loyalty.returns import return_sale
from functions.loyalty.sales import record_sale

CPFS = ["52998224725", "11144477735"]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(0, 1), st.integers(0, 30000)),
        st.tuples(st.just("return"), st.integers(0, 9), st.integers(0, 30000)),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=steps)
def test_random_histories_keep_the_books(aws_server, history):
    import requests

    from functions.common import auth, tenancy
    from functions.network import stores
    from infra.bootstrap import bootstrap

    requests.post(f"{aws_server}/moto-api/reset", timeout=10).raise_for_status()
    auth._KEYS.clear()
    tenancy._TENANTS.clear()
    bootstrap()
    stores.create_tenant("prop", "Rede Prop")
    caller = StoreIdentity("prop", "centro", stores.add_store("prop", "centro", "C")["key_id"])
    now = datetime.now(UTC)
    sale_ids, refusals = [], []
    for n, (kind, a, b) in enumerate(history):
        if kind == "sale":
            body = {
                "sale_id": f"v-{n}",
                "occurred_at": (now - timedelta(days=n)).isoformat(),
                "total": b,
                "customer": {"cpf": CPFS[a]},
            }
            record_sale(caller, body)
            sale_ids.append(f"v-{n}")
        elif sale_ids:
            sale_id = sale_ids[a % len(sale_ids)]
            try:
                return_sale(caller, sale_id, {"return_id": f"r-{n}", "amount": max(1, b)})
            except BemteviError as refused:
                refusals.append(refused.code)
    assert set(refusals) <= {"exceeds_sale", "already_returned"}
    pepper = tenancy.tenant("prop").pepper
    for cpf in CPFS:
        customer_id = identity_for(pepper, cpf, None).derived_id
        try:
            customer = CustomerRecord.get(*CustomerRecord.keys("prop", customer_id))
        except CustomerRecord.DoesNotExist:
            continue
        lots = sum(int(lot.remaining) for lot in customer.lots)
        entries = ledger("prop", customer_id)
        assert customer.balance == lots >= 0
        assert customer.balance == sum(int(entry.points) for entry in entries)
        assert customer.debt == sum(int(entry.debt) for entry in entries) >= 0
