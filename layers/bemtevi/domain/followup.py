"""Post-sale follow-up: the sales team's seller codes, what makes a customer due for a
contact on a day, the order of a salesperson's list, the call log's outcomes and the
click-to-chat and phone links of a list item. Pure: the caller passes `today`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from urllib.parse import quote

from bemtevi.errors import InvalidInput

SELLER_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
CHECK_IN_DAYS = 7
DEFAULT_WIN_BACK_DAYS = 60
DEFAULT_CAP = 30
DEFAULT_EXPIRE_DAYS = 3
DEFAULT_WINDOW_DAYS = 7
SHARED = "_loja"
"""The seller code of a store's shared list (customers without a known salesperson)."""


def valid_seller_code(code: str, field: str = "code") -> str:
    """A POS seller code: letters, digits, `-` and `_`, up to 20 characters."""
    code = (code or "").strip()
    if not SELLER_CODE.match(code) or code == SHARED:
        raise InvalidInput(
            "invalid_seller_code", "Código de vendedor inválido: letras, números, - e _.", field
        )
    return code


def valid_seller_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise InvalidInput("invalid_name", "Informe o nome do vendedor (até 80 letras).", field)
    return name


class Reason(StrEnum):
    """Why a customer is on a list; the order is the priority within equal value."""

    BIRTHDAY = "birthday"
    THANKS = "thanks"
    CHECK_IN = "check_in"
    WIN_BACK = "win_back"


REASON_NAMES = {
    Reason.BIRTHDAY: "aniversário hoje",
    Reason.THANKS: "comprou ontem",
    Reason.CHECK_IN: "comprou há 7 dias",
    Reason.WIN_BACK: "sem comprar há tempo",
}

DEFAULT_MESSAGES = {
    Reason.THANKS: "Oi, {nome}! Obrigado pela compra ontem na {loja}. "
    "Você tem {pontos} pontos. Veja: {link}",
    Reason.CHECK_IN: "Oi, {nome}! Tudo certo com a compra da semana passada? "
    "Qualquer coisa, estou aqui. Seus pontos: {link}",
    Reason.BIRTHDAY: "Feliz aniversário, {nome}! Passe na {loja} para comemorar. "
    "Seus pontos: {link}",
    Reason.WIN_BACK: "Oi, {nome}! Sentimos sua falta na {loja}. "
    "Você tem {pontos} pontos esperando: {link}",
}


def purchase_days(today: date, win_back_days: int) -> dict[Reason, date]:
    """The last-purchase day (tenant-local) that makes a customer due today, per reason."""
    return {
        Reason.THANKS: today - timedelta(days=1),
        Reason.CHECK_IN: today - timedelta(days=CHECK_IN_DAYS),
        Reason.WIN_BACK: today - timedelta(days=win_back_days),
    }


def birthday_keys(today: date) -> list[str]:
    """The month-days (MM-DD) whose birthdays are today: 29 February's on the 28th in a
    year without it."""
    keys = [today.strftime("%m-%d")]
    if keys == ["02-28"] and not _leap(today.year):
        keys.append("02-29")
    return keys


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Candidate:
    """A customer due today: why, and what ranks them (lifetime spend, then balance)."""

    customer_id: str
    reason: Reason
    store_id: str
    seller: str
    total_spent: int
    balance: int


def ranked(candidates: list[Candidate], cap: int) -> list[Candidate]:
    """One item per customer (the most urgent reason), most valuable first, at most
    `cap` per store and salesperson; ties by customer id, so a rerun makes the same list."""
    order = list(Reason)
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        known = best.get(candidate.customer_id)
        if known is None or order.index(candidate.reason) < order.index(known.reason):
            best[candidate.customer_id] = candidate
    kept: dict[tuple[str, str], list[Candidate]] = {}
    for candidate in sorted(
        best.values(), key=lambda c: (-c.total_spent, -c.balance, c.customer_id)
    ):
        owned = kept.setdefault((candidate.store_id, candidate.seller), [])
        if len(owned) < cap:
            owned.append(candidate)
    return [candidate for owned in kept.values() for candidate in owned]


def seller_for(last_seller: str | None, team: set[str]) -> str:
    """The list a customer goes to: their last purchase's salesperson when active in the
    store, else the store's shared list."""
    return last_seller if last_seller and last_seller in team else SHARED


class Outcome(StrEnum):
    WHATSAPP = "whatsapp"
    PHONE = "phone"
    NO_ANSWER = "no_answer"
    NOT_INTERESTED = "not_interested"
    WRONG_NUMBER = "wrong_number"
    WILL_COME = "will_come"


OUTCOME_NAMES = {
    Outcome.WHATSAPP: "falei pelo WhatsApp",
    Outcome.PHONE: "falei por telefone",
    Outcome.NO_ANSWER: "não atendeu",
    Outcome.NOT_INTERESTED: "sem interesse",
    Outcome.WRONG_NUMBER: "número errado",
    Outcome.WILL_COME: "vai passar na loja",
}
REACHED = frozenset({Outcome.WHATSAPP, Outcome.PHONE, Outcome.NOT_INTERESTED, Outcome.WILL_COME})
"""Outcomes that count as a contact (for the contact rate and returned revenue)."""


def valid_outcome(value: str, note: str = "") -> tuple[Outcome, str]:
    try:
        outcome = Outcome(value)
    except ValueError:
        raise InvalidInput(
            "invalid_outcome", "Escolha o resultado do contato.", "outcome"
        ) from None
    note = " ".join((note or "").split())
    if len(note) > 280:
        raise InvalidInput("invalid_note", "A observação tem no máximo 280 letras.", "note")
    return outcome, note


def is_overdue(day: date, today: date, expire_days: int) -> bool:
    """An undone item of an earlier day still on the list (it expires after N days)."""
    return today - timedelta(days=expire_days) < day < today


def marker_id(store_id: str, seller: str) -> str:
    """The attribution marker of a salesperson's contacts (see domain/attribution)."""
    return f"f-{store_id}-{seller}"


def whatsapp_link(phone_e164: str, text: str) -> str:
    """wa.me click-to-chat with the text filled in."""
    digits = "".join(ch for ch in phone_e164 if ch.isdigit())
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"


def tel_link(phone_e164: str) -> str:
    return "tel:" + "+" + "".join(ch for ch in phone_e164 if ch.isdigit())


def first_name(name: str | None) -> str:
    return (name or "").split(" ")[0].strip() or "cliente"
