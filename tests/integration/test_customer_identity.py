"""Who a customer is, when CPFs and phones meet in different combinations (and races)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.store import sales as sales_store
from bemtevi.store.models import CustomerRecord
from functions.common import tenancy
from functions.common.auth import StoreIdentity
from functions.loyalty.sales import _plan
from tests.integration.test_sales import sale

CPF_A, CPF_B, PHONE = "52998224725", "11144477735", "(11) 98765-4321"


def customer(customer_id: str) -> CustomerRecord:
    return CustomerRecord.get(*CustomerRecord.keys("rede-teste", customer_id))


def test_two_people_who_used_the_same_phone_stay_two_customers(pos):
    ana = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF_A, "phone": PHONE})).json_body
    bia = pos.post("/v1/sales", sale("v-2", customer={"cpf": CPF_B, "phone": PHONE})).json_body
    assert ana["customer_id"] != bia["customer_id"]
    assert (customer(ana["customer_id"]).phone, customer(bia["customer_id"]).phone) == (
        None,
        "+5511987654321",
    )
    assert customer(ana["customer_id"]).cpf == CPF_A
    again = pos.post("/v1/sales", sale("v-3", customer={"cpf": CPF_A})).json_body
    assert (again["customer_id"], again["balance"]) == (ana["customer_id"], 318)
    by_phone = pos.post("/v1/sales", sale("v-4", customer={"phone": PHONE})).json_body
    assert by_phone["customer_id"] == bia["customer_id"]


def test_a_phone_follows_its_latest_owner_even_over_a_phone_derived_customer(pos):
    by_cpf = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF_A})).json_body
    by_phone = pos.post("/v1/sales", sale("v-2", customer={"phone": PHONE})).json_body
    assert by_phone["customer_id"] != by_cpf["customer_id"]
    both = pos.post("/v1/sales", sale("v-3", customer={"cpf": CPF_A, "phone": PHONE})).json_body
    assert both["customer_id"] == by_cpf["customer_id"]
    later = pos.post("/v1/sales", sale("v-4", customer={"phone": PHONE})).json_body
    assert later["customer_id"] == by_cpf["customer_id"]
    assert customer(by_phone["customer_id"]).phone is None


def test_a_phone_customer_gets_its_cpf_and_keeps_its_points(pos):
    first = pos.post("/v1/sales", sale("v-1", customer={"phone": PHONE})).json_body
    both = pos.post("/v1/sales", sale("v-2", customer={"cpf": CPF_A, "phone": PHONE})).json_body
    by_cpf = pos.post("/v1/sales", sale("v-3", customer={"cpf": CPF_A})).json_body
    assert first["customer_id"] == both["customer_id"] == by_cpf["customer_id"]
    assert by_cpf["balance"] == 477


def test_a_new_phone_replaces_the_old_one_which_finds_nobody(pos):
    first = pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF_A, "phone": PHONE})).json_body
    pos.post("/v1/sales", sale("v-2", customer={"cpf": CPF_A, "phone": "(21) 99876-5432"}))
    stranger = pos.post("/v1/sales", sale("v-3", customer={"phone": PHONE})).json_body
    assert stranger["customer_id"] != first["customer_id"]
    assert stranger["balance"] == 159


def test_two_sales_planned_from_the_same_read_cannot_both_land(store):
    """A phone-only customer; at once, a sale with CPF and phone (attaches the CPF) and a
    sale with the CPF only (would create a CPF customer): the second must read again."""
    caller = StoreIdentity("rede-teste", "loja-1", store["key_id"])
    from functions.loyalty.sales import record_sale

    record_sale(caller, sale("v-0", customer={"phone": PHONE}))
    tenant = tenancy.tenant("rede-teste")
    now = datetime.now(UTC)
    plans = []
    for sale_id, fields in (("v-1", {"cpf": CPF_A, "phone": PHONE}), ("v-2", {"cpf": CPF_A})):
        from bemtevi.domain.customers import person_from
        from bemtevi.store.customers import identity_for

        body = {**sale(sale_id, customer=fields), "discount": 0}
        person = person_from(fields, now.date(), "customer")
        who = identity_for(tenant.pepper, person.cpf, person.phone)
        snapshot = sales_store.read_for_sale("rede-teste", "loja-1", sale_id, who)
        occurred = datetime.fromisoformat(body["occurred_at"])
        plans.append(_plan(caller, tenant, body, occurred, person, who, snapshot, sale_id, now))
    sales_store.commit(plans[0][0])
    with pytest.raises(sales_store.Contention):
        sales_store.commit(plans[1][0])
    retried = record_sale(caller, sale("v-2", customer={"cpf": CPF_A}))
    assert retried.body["customer_id"] == plans[0][1]["customer_id"]


def test_a_batch_resolves_like_single_upserts(pos):
    results = pos.post(
        "/v1/customers/batch",
        {"customers": [{"phone": PHONE}, {"cpf": CPF_A, "phone": PHONE}, {"cpf": CPF_A}]},
    ).json_body["results"]
    assert len({r["customer_id"] for r in results}) == 1
    assert [r["created"] for r in results] == [True, True, True]
    by_sale = pos.post("/v1/sales", sale("v-1", customer={"phone": PHONE})).json_body
    assert by_sale["customer_id"] == results[0]["customer_id"]


@pytest.mark.parametrize("fields", [{"cpf": ""}, {"phone": ""}, {"cpf": "", "phone": ""}])
def test_empty_identifiers_are_refused(pos, fields):
    response = pos.post("/v1/sales", sale(customer=fields))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "moment", ["2026-11-20T23:59:60Z", "0001-01-01T00:00:00Z", "1999-12-31T20:59:59-03:00"]
)
def test_odd_dates_are_refused(pos, moment):
    response = pos.post("/v1/sales", {"sale_id": "v-1", "occurred_at": moment, "total": 100})
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "occurred_at"


def test_a_return_cannot_come_before_its_sale(pos):
    pos.post("/v1/sales", sale("v-1", customer={"cpf": CPF_A}))
    early = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = pos.post("/v1/sales/v-1/cancel", {"occurred_at": early})
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "return_before_sale"


def test_a_pos_return_id_named_full_does_not_collide(pos):
    pos.post("/v1/sales", sale("v-1", total=10000, customer={"cpf": CPF_A}))
    partial = pos.post("/v1/sales/v-1/cancel", {"return_id": "full", "amount": 1000})
    whole = pos.post("/v1/sales/v-1/cancel", {})
    assert (partial.status_code, whole.status_code) == (200, 200)
    assert (whole.json_body["return_id"], whole.json_body["amount"]) == ("full", 9000)


def test_a_sale_older_than_the_validity_earns_points_already_expired(pos):
    from bemtevi.store.customers import ledger
    from bemtevi.store.models import DayCounterRecord

    old = datetime.now(UTC) - timedelta(days=400)
    answer = pos.post("/v1/sales", sale("v-1", at=old, customer={"cpf": CPF_A})).json_body
    assert (answer["points_earned"], answer["balance"]) == (159, 0)
    kinds = sorted((e.entry_kind, e.points) for e in ledger("rede-teste", answer["customer_id"]))
    assert kinds == [("earned", 159), ("expired", -159)]
    today = datetime.now(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    counter = DayCounterRecord.get(*DayCounterRecord.keys("rede-teste", "loja-1", today))
    assert (counter.points_issued, counter.points_expired) == (0, 159)


def test_two_upserts_planned_from_the_same_read_cannot_both_land(store):
    """The single upsert re-checks, in its own transaction, what it read as missing."""
    from datetime import UTC, datetime

    from bemtevi.domain.customers import person_from
    from bemtevi.store import customers as store_customers
    from functions.loyalty.enrolment import _upserted, upsert_customer

    caller = StoreIdentity("rede-teste", "loja-1", store["key_id"])
    upsert_customer(caller, {"phone": PHONE})
    tenant = tenancy.tenant("rede-teste")
    now = datetime.now(UTC)
    plans = []
    for fields in ({"cpf": CPF_A, "phone": PHONE}, {"cpf": CPF_A}):
        person = person_from(fields, now.date(), "")
        who = store_customers.identity_for(tenant.pepper, person.cpf, person.phone)
        resolution = store_customers.find("rede-teste", who)
        record, _ = _upserted("rede-teste", resolution, person, who, now)
        plans.append((record, resolution))
    store_customers.save([plans[0][0]], plans[0][1])
    with pytest.raises(sales_store.Contention):
        store_customers.save([plans[1][0]], plans[1][1])
