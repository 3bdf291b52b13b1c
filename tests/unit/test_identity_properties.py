"""Random histories of requests naming customers by CPF and/or phone keep every
identifier with one owner: the identity decision, applied to a model of the aliases and
customers the way the store applies it, never leaves a CPF or a phone behind."""

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from bemtevi.domain.identity import CPF, PHONE, Decision, Found, Identity, Known, decide

CPFS = ["111", "222", "333"]
PHONES = ["a", "b", "c"]

requests = st.lists(
    st.tuples(st.sampled_from([None, *CPFS]), st.sampled_from([None, *PHONES])).filter(
        lambda request: request != (None, None)
    ),
    min_size=1,
    max_size=25,
)


@dataclass
class Person:
    cpf: str | None = None
    phone: str | None = None


class World:
    """Customers by id and aliases by (kind, value); values stand for their own hashes."""

    def __init__(self) -> None:
        self.customers: dict[str, Person] = {}
        self.aliases: dict[tuple[str, str], str] = {}

    def known(self, customer_id: str | None) -> Known | None:
        person = self.customers.get(customer_id) if customer_id else None
        if person is None:
            return None
        return Known(customer_id, person.cpf, person.phone, person.phone)

    def found(self, who: Identity) -> Found:
        cpf_alias = self.aliases.get((CPF, who.cpf)) if who.cpf else None
        phone_alias = self.aliases.get((PHONE, who.phone)) if who.phone else None
        return Found(
            derived=self.known(who.derived_id),
            cpf_alias=cpf_alias,
            phone_alias=phone_alias,
            cpf_owner=self.known(cpf_alias),
            phone_holder=self.known(phone_alias),
        )

    def assert_conditions_hold(self, who: Identity, decision: Decision) -> None:
        """What the transaction would check is true of the world it was decided on."""
        for put in decision.puts:
            assert self.aliases.get((put.kind, put.hash)) == put.expected
        for gone in decision.deletes:
            assert self.aliases.get((gone.kind, gone.hash)) == gone.expected
        if decision.cpf_alias_absent:
            assert (CPF, who.cpf) not in self.aliases
        if decision.derived_absent:
            assert who.derived_id not in self.customers
        if decision.owner is None:
            assert decision.customer_id not in self.customers
        else:
            assert decision.owner == decision.customer_id in self.customers

    def apply(self, who: Identity, decision: Decision) -> None:
        """As the store does: aliases, the released phone, then the request's fields."""
        person = self.customers.setdefault(decision.customer_id, Person())
        for put in decision.puts:
            self.aliases[(put.kind, put.hash)] = put.customer_id
        for gone in decision.deletes:
            del self.aliases[(gone.kind, gone.hash)]
        if decision.releases is not None:
            self.customers[decision.releases].phone = None
        person.cpf = who.cpf or person.cpf
        person.phone = who.phone or person.phone


def identity(cpf: str | None, phone: str | None) -> Identity:
    derived_id = f"cpf-{cpf}" if cpf else f"phone-{phone}"
    return Identity(cpf, phone, cpf, phone, derived_id)


def assert_every_identifier_has_one_findable_owner(world: World) -> None:
    for (kind, value), customer_id in world.aliases.items():
        assert getattr(world.customers[customer_id], kind) == value
    for customer_id, person in world.customers.items():
        if person.phone is not None:
            assert world.aliases.get((PHONE, person.phone)) == customer_id
        if person.cpf is not None:
            findable = world.aliases.get((CPF, person.cpf), f"cpf-{person.cpf}")
            assert findable == customer_id
    for kind in (CPF, PHONE):
        held = [getattr(p, kind) for p in world.customers.values() if getattr(p, kind)]
        assert len(held) == len(set(held)), f"a {kind} is held by two customers"


@settings(max_examples=400, deadline=None)
@given(history=requests)
def test_every_cpf_and_phone_keeps_one_owner(history):
    world = World()
    cpf_owner: dict[str, str] = {}
    for step, (cpf, phone) in enumerate(history):
        who = identity(cpf, phone)
        phone_only = None
        if cpf and cpf not in cpf_owner and phone and (PHONE, phone) in world.aliases:
            holder = world.aliases[(PHONE, phone)]
            phone_only = holder if world.customers[holder].cpf is None else None
        decision = decide(who, world.found(who), f"{who.derived_id}-{step}")
        world.assert_conditions_hold(who, decision)
        world.apply(who, decision)
        customer_id = decision.customer_id
        # the customer answered holds what the request said
        assert world.customers[customer_id].cpf == (cpf or world.customers[customer_id].cpf)
        if phone:
            # a phone ends with exactly the customer it was last sent with
            holders = [i for i, p in world.customers.items() if p.phone == phone]
            assert holders == [customer_id]
        if cpf:
            # a CPF belongs to one customer for good
            assert cpf_owner.setdefault(cpf, customer_id) == customer_id
        if phone_only is not None:
            # a customer known only by phone gets the CPF when both arrive
            assert customer_id == phone_only
        assert_every_identifier_has_one_findable_owner(world)


def test_a_phone_moves_to_a_customer_with_another_cpf():
    world = World()
    for cpf, phone in [("111", "a"), ("222", "a")]:
        who = identity(cpf, phone)
        decision = decide(who, world.found(who), "spare")
        world.apply(who, decision)
    assert decision.customer_id == "cpf-222"
    assert decision.releases == "cpf-111"
    assert world.customers["cpf-111"].phone is None
    assert world.aliases[(PHONE, "a")] == "cpf-222"


def test_a_phone_customer_gets_its_cpf_and_the_derived_id_must_stay_free():
    world = World()
    first = identity(None, "a")
    world.apply(first, decide(first, world.found(first), "spare"))
    both = identity("111", "a")
    decision = decide(both, world.found(both), "spare")
    assert decision.customer_id == "phone-a"
    assert decision.derived_absent
    assert [(put.kind, put.hash, put.expected) for put in decision.puts] == [(CPF, "111", None)]
