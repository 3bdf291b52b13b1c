from datetime import UTC, date, datetime, timedelta

import pytest

from bemtevi.domain import customers as people
from bemtevi.errors import InvalidInput

PEPPER = b"pepper-of-the-tenant"
TODAY = date(2026, 11, 23)


def test_cpf_and_phone_are_normalised():
    person = people.person_from(
        {"cpf": "529.982.247-25", "phone": "(11) 98765-4321", "email": "Maria@Example.COM"},
        TODAY,
        "customer",
    )
    assert (person.cpf, person.phone, person.email) == (
        "52998224725",
        "+5511987654321",
        "Maria@example.com",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cpf": "529.982.247-24"}, "c.cpf"),
        ({"cpf": "000.000.000-00"}, "c.cpf"),
        ({"phone": "(11) 3456-7890"}, "c.phone"),
        ({"phone": "abc"}, "c.phone"),
        ({"cpf": "52998224725", "email": "sem-arroba"}, "c.email"),
        ({"cpf": "52998224725", "birthday": "2026-11-23"}, "c.birthday"),
        ({"cpf": "52998224725", "birthday": "1899-12-31"}, "c.birthday"),
    ],
)
def test_invalid_fields_name_their_path(fields, field):
    with pytest.raises(InvalidInput) as refused:
        people.person_from(fields, TODAY, "c")
    assert refused.value.field == field


def test_customer_ids_are_stable_keyed_and_opaque():
    by_cpf = people.customer_id_for(PEPPER, "52998224725", "+5511987654321")
    assert by_cpf == people.customer_id_for(PEPPER, "52998224725", None)
    assert by_cpf != people.customer_id_for(b"another-tenant", "52998224725", None)
    assert by_cpf != people.customer_id_for(PEPPER, None, "+5511987654321")
    assert "52998224725" not in by_cpf
    assert len(by_cpf) == 25


def test_purchases_keep_first_last_and_totals():
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    bought = people.with_purchase(people.Purchases(), t0, 10000, "centro", "V1")
    bought = people.with_purchase(bought, t0 + timedelta(days=2), 5000, "shopping", "V2")
    late = people.with_purchase(bought, t0 - timedelta(days=5), 3000, "bairro", None)
    assert (late.first_purchase_at, late.last_purchase_at) == (
        t0 - timedelta(days=5),
        t0 + timedelta(days=2),
    )
    assert (late.visits, late.total_spent, late.average_ticket) == (3, 18000, 6000)
    assert (late.last_store, late.last_seller) == ("shopping", "V2")
    assert people.with_return(late, 20000).total_spent == 0


def test_a_cpf_in_digits_other_than_ascii_is_refused():
    with pytest.raises(InvalidInput) as refused:
        people.normalized_cpf("５２９９８２２４７２５", "cpf")
    assert refused.value.code == "invalid_cpf"
