"""Who a request is about, given what its CPF and phone already point at.

A CPF belongs to one customer for good: its alias decides. A phone belongs to whoever used
it last: it moves to a customer with another CPF, and the customer it leaves loses it (no
message of theirs goes to someone else's phone). A customer known only by phone gets the
CPF when it first arrives with that phone.

Pure: the store reads the aliases and customers, hands them here as plain values, and
turns the decision into records and transaction conditions.
"""

from __future__ import annotations

from dataclasses import dataclass

CPF = "cpf"
PHONE = "phone"


@dataclass(frozen=True)
class Identity:
    """A customer as a request names them: normalised CPF and/or phone, and the hashes
    that stand for them in keys."""

    cpf: str | None
    phone: str | None
    cpf_hash: str | None
    phone_hash: str | None
    derived_id: str


@dataclass(frozen=True)
class Known:
    """What identity needs of a stored customer."""

    customer_id: str
    cpf: str | None
    phone: str | None
    phone_hash: str | None


@dataclass(frozen=True)
class Found:
    """What the store read: the customer at the derived id, the owners the CPF and phone
    aliases name (None: no alias), and the customers those aliases point at (None: no
    such customer)."""

    derived: Known | None = None
    cpf_alias: str | None = None
    phone_alias: str | None = None
    cpf_owner: Known | None = None
    phone_holder: Known | None = None


@dataclass(frozen=True)
class AliasPut:
    """Point the alias (kind, hash) at `customer_id`, on condition that it still points at
    `expected` (None: that it does not exist)."""

    kind: str
    hash: str
    customer_id: str
    expected: str | None


@dataclass(frozen=True)
class AliasDelete:
    kind: str
    hash: str
    expected: str


@dataclass(frozen=True)
class Decision:
    """The customer (`owner`: an existing one; None: a new one with `customer_id`), the
    alias changes, the customer that loses its phone, and what must still be absent at
    write time: the CPF's alias, and the customer at the derived id."""

    customer_id: str
    owner: str | None
    puts: tuple[AliasPut, ...] = ()
    deletes: tuple[AliasDelete, ...] = ()
    releases: str | None = None
    cpf_alias_absent: bool = False
    derived_absent: bool = False


def owner_of(who: Identity, found: Found) -> Known | None:
    """The existing customer the request names, if any."""
    derived, holder = found.derived, found.phone_holder
    if who.cpf:
        if found.cpf_alias is not None:
            return found.cpf_owner
        if derived is not None and derived.cpf == who.cpf:
            return derived
        if holder is not None and holder.cpf in (None, who.cpf):
            return holder
        return None
    if holder is not None:
        return holder
    if derived is not None and derived.phone == who.phone:
        return derived
    return None


def decide(who: Identity, found: Found, spare_id: str) -> Decision:
    """Who this is and which aliases change. `spare_id` names a new customer when the
    derived id is taken by someone else (a CPF whose phone moved on, say)."""
    owner = owner_of(who, found)
    if owner is not None:
        customer_id = owner.customer_id
    elif found.derived is None:
        customer_id = who.derived_id
    else:
        customer_id = spare_id
    puts: list[AliasPut] = []
    cpf_alias_absent = derived_absent = False
    if who.cpf_hash and found.cpf_alias is None:
        if customer_id == who.derived_id:
            # the id is the CPF's own: no alias, but none may appear meanwhile. Once the
            # CPF's customer exists no alias can (giving a phone customer the CPF checks
            # that it does not), and its revision guards the write: no check to pay for.
            cpf_alias_absent = found.derived is None
        else:
            # a customer known by phone gets the CPF: no CPF customer may appear meanwhile
            # (an erased customer keeps the derived id: its CPF now names a new one)
            puts.append(AliasPut(CPF, who.cpf_hash, customer_id, None))
            derived_absent = found.derived is None
    releases = None
    if who.phone_hash and found.phone_alias != customer_id:
        puts.append(AliasPut(PHONE, who.phone_hash, customer_id, found.phone_alias))
        holder = found.phone_holder
        if holder is not None and holder.phone == who.phone:
            releases = holder.customer_id
    deletes: tuple[AliasDelete, ...] = ()
    if owner is not None and who.phone_hash and owner.phone_hash not in (None, who.phone_hash):
        deletes = (AliasDelete(PHONE, owner.phone_hash, customer_id),)
    return Decision(
        customer_id,
        owner.customer_id if owner is not None else None,
        tuple(puts),
        deletes,
        releases,
        cpf_alias_absent,
        derived_absent,
    )
