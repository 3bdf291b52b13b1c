"""Who a customer is (CPF, mobile phone, e-mail, birthday) and what they have bought.

CPF and phone are normalised (11 digits; E.164) and turned into a customer id by a keyed
hash with the tenant's secret pepper, so a sale finds its customer without a look-up and
no key ever holds a CPF or a phone number in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bemtevi.domain.ledger import Lot
from bemtevi.errors import InvalidInput

INVALID_CPF = "CPF inválido: confira os dígitos."
INVALID_PHONE = "Telefone inválido: use DDD e número, ex.: (11) 98765-4321."
_ASCII_DIGITS = frozenset("0123456789")


def normalized_cpf(value: str, field: str) -> str:
    from validate_docbr import CPF

    digits = "".join(ch for ch in value if ch in _ASCII_DIGITS)
    if len(digits) != 11 or not CPF().validate(digits):
        raise InvalidInput("invalid_cpf", INVALID_CPF, field)
    return digits


def normalized_phone(value: str, field: str) -> str:
    """A Brazilian mobile (or any valid international number) in E.164."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "BR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput("invalid_phone", INVALID_PHONE, field)
    if number.country_code == 55 and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidInput(
            "invalid_phone", "Informe um celular (fixo não recebe SMS nem WhatsApp).", field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalized_email(value: str, field: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidInput("invalid_email", "E-mail inválido.", field) from None


def valid_birthday(value: str, today: date, field: str) -> date:
    try:
        birthday = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("invalid_date", "Data inválida: use AAAA-MM-DD.", field) from None
    if not date(1900, 1, 1) <= birthday < today:
        raise InvalidInput("invalid_birthday", "A data de nascimento deve estar no passado.", field)
    return birthday


def identity_hash(pepper: bytes, kind: str, value: str) -> str:
    """Keyed hash of a normalised CPF or phone: stable per tenant, useless without the
    tenant's pepper."""
    digest = hmac.new(pepper, f"{kind}:{value}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()


def customer_id_for(pepper: bytes, cpf: str | None, phone: str | None) -> str:
    """The id a new customer gets: from the CPF when known, else from the phone."""
    if cpf:
        return "c" + identity_hash(pepper, "cpf", cpf)[:24]
    if phone:
        return "c" + identity_hash(pepper, "phone", phone)[:24]
    raise ValueError("a customer needs a CPF or a phone")


@dataclass(frozen=True)
class Purchases:
    """A customer's purchase aggregates, kept up to date at every sale and return."""

    first_purchase_at: datetime | None = None
    last_purchase_at: datetime | None = None
    visits: int = 0
    total_spent: int = 0
    last_store: str | None = None
    last_seller: str | None = None
    purchase_stores: frozenset[str] = frozenset()
    """Every store the customer bought at: a store manager may open the customer's page."""

    @property
    def average_ticket(self) -> int:
        return self.total_spent // self.visits if self.visits else 0


def with_purchase(
    purchases: Purchases, occurred_at: datetime, net_total: int, store: str, seller: str | None
) -> Purchases:
    """A sale posted late (offline POS) counts, but does not become the last purchase."""
    is_latest = purchases.last_purchase_at is None or occurred_at >= purchases.last_purchase_at
    first = purchases.first_purchase_at
    return replace(
        purchases,
        first_purchase_at=occurred_at if first is None or occurred_at < first else first,
        last_purchase_at=occurred_at if is_latest else purchases.last_purchase_at,
        visits=purchases.visits + 1,
        total_spent=purchases.total_spent + net_total,
        last_store=store if is_latest else purchases.last_store,
        last_seller=(seller if is_latest else purchases.last_seller),
        purchase_stores=purchases.purchase_stores | {store},
    )


def with_return(purchases: Purchases, amount: int) -> Purchases:
    return replace(purchases, total_spent=max(0, purchases.total_spent - amount))


CHANNELS_OPTED_OUT = ("sms", "email", "whatsapp")


@dataclass(frozen=True)
class Customer:
    """A customer as the repository hands it out: profile, live lots and debt,
    purchase aggregates, opt-outs, and the revision it was read at (a write is
    conditioned on it). The `*_pk`, `available_from`, `next_expiry` and `warn_at` fields
    say where it sits in the sparse indexes; the repository sets them with the points
    (`store.customers.with_points`). A customer read from an index holds only what the
    index projects."""

    tenant_id: str
    customer_id: str
    cpf: str | None = None
    phone: str | None = None
    phone_hash: str | None = None
    name: str | None = None
    email: str | None = None
    birthday: str | None = None
    lots: tuple[Lot, ...] = ()
    balance: int = 0
    debt: int = 0
    first_credit_at: datetime | None = None
    first_purchase_at: datetime | None = None
    last_purchase_at: datetime | None = None
    visits: int = 0
    total_spent: int = 0
    average_ticket: int = 0
    last_store: str | None = None
    last_seller: str | None = None
    purchase_stores: frozenset[str] = frozenset()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    redeemable_pk: str | None = None
    available_from: str | None = None
    expiry_pk: str | None = None
    next_expiry: str | None = None
    warning_pk: str | None = None
    warn_at: str | None = None
    sms_opted_out_at: datetime | None = None
    email_opted_out_at: datetime | None = None
    whatsapp_opted_out_at: datetime | None = None
    revision: int | None = None
    ak: str | None = None
    au: bytes | None = None
    cm: str | None = None
    """Campaign membership markers (JSON of `attribution.markers_attribute`): kept by
    every whole-item write, changed only by `store.attribution.join`."""

    def opted_out(self) -> set[str]:
        return {
            channel
            for channel in CHANNELS_OPTED_OUT
            if getattr(self, f"{channel}_opted_out_at") is not None
        }

    def stores_seen(self) -> frozenset[str]:
        """The stores the customer bought at: the set the sales keep, and (for customers
        whose items predate it) the last store and the origin stores of the live lots."""
        lots = {lot.store_id for lot in self.lots}
        return self.purchase_stores | lots | ({self.last_store} if self.last_store else set())


def with_person(customer: Customer, person: Person, phone_hash: str | None) -> Customer:
    """What a request says about the customer overwrites what was known; what it leaves
    out is kept."""
    said = {
        name: value
        for name in ("cpf", "phone", "name", "email", "birthday")
        if (value := getattr(person, name)) is not None
    }
    if phone_hash:
        said["phone_hash"] = phone_hash
    return replace(customer, **said)


@dataclass(frozen=True)
class Person:
    """A customer's fields as a request sent them, validated and normalised."""

    cpf: str | None
    phone: str | None
    name: str | None
    email: str | None
    birthday: str | None


def person_from(fields: dict[str, Any], today: date, prefix: str) -> Person:
    """From schema-valid fields (bemtevi.contract's CustomerFields)."""

    def at(name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    cpf = fields.get("cpf")
    phone = fields.get("phone")
    email = fields.get("email")
    birthday = fields.get("birthday")
    name = (fields.get("name") or "").strip() or None
    return Person(
        cpf=normalized_cpf(cpf, at("cpf")) if cpf else None,
        phone=normalized_phone(phone, at("phone")) if phone else None,
        name=name,
        email=normalized_email(email, at("email")) if email else None,
        birthday=valid_birthday(birthday, today, at("birthday")).isoformat() if birthday else None,
    )


def masked_phone(phone: str) -> str:
    """ "+5511987654321" -> "(11) *****-4321": enough for the customer to recognise it."""
    digits = phone.removeprefix("+55") if phone.startswith("+55") else phone.lstrip("+")
    area = f"({digits[:2]}) " if phone.startswith("+55") else ""
    return f"{area}*****-{digits[-4:]}"


def masked_cpf(cpf: str) -> str:
    """ "12345678909" -> "***.456.789-**": the middle digits, as receipts print them."""
    return f"***.{cpf[3:6]}.{cpf[6:9]}-**"


def masked_name(name: str) -> str:
    """ "Maria da Silva Souza" -> "Maria S. S.": the first name and the initials of the
    surnames (particles left out)."""
    first, *others = name.split()
    initials = [f"{word[0].upper()}." for word in others if word.lower() not in _PARTICLES]
    return " ".join([first, *initials])


_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e"})


def masked_email(email: str) -> str:
    """ "maria.silva@gmail.com" -> "m***@gmail.com"."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def masked_contact(channel: str, phone: str | None, email: str | None) -> str | None:
    """Where a message on `channel` goes, masked: what the dashboard's message log shows."""
    if channel == "email":
        return masked_email(email) if email else None
    return masked_phone(phone) if phone else None
