"""Follow-up rules: who is due, the list's order and cap, the links of an item."""

from datetime import date
from urllib.parse import unquote

import pytest

from bemtevi.domain import followup as f
from bemtevi.errors import InvalidInput


def test_purchase_days_due_today():
    days = f.purchase_days(date(2026, 12, 1), 60)
    assert days == {
        f.Reason.THANKS: date(2026, 11, 30),
        f.Reason.CHECK_IN: date(2026, 11, 24),
        f.Reason.WIN_BACK: date(2026, 10, 2),
    }


def test_leap_day_birthdays_are_on_the_28th_without_a_29th():
    assert f.birthday_keys(date(2027, 2, 28)) == ["02-28", "02-29"]
    assert f.birthday_keys(date(2028, 2, 28)) == ["02-28"]
    assert f.birthday_keys(date(2028, 2, 29)) == ["02-29"]
    assert f.birthday_keys(date(2026, 12, 1)) == ["12-01"]


def candidate(customer: str, reason: f.Reason, spent: int, seller: str = "V1") -> f.Candidate:
    return f.Candidate(customer, reason, "centro", seller, spent, 0)


def test_one_item_per_customer_most_valuable_first_capped_per_seller():
    found = [
        candidate("a", f.Reason.CHECK_IN, 100_00),
        candidate("a", f.Reason.BIRTHDAY, 100_00),
        candidate("b", f.Reason.THANKS, 900_00),
        candidate("c", f.Reason.THANKS, 50_00),
        candidate("d", f.Reason.WIN_BACK, 70_00, seller=f.SHARED),
    ]
    made = f.ranked(found, cap=2)
    assert [(c.customer_id, c.reason, c.seller) for c in made] == [
        ("b", f.Reason.THANKS, "V1"),
        ("a", f.Reason.BIRTHDAY, "V1"),
        ("d", f.Reason.WIN_BACK, f.SHARED),
    ]


def test_a_customer_goes_to_an_active_seller_else_the_shared_list():
    assert f.seller_for("V1", {"V1", "V2"}) == "V1"
    assert f.seller_for("V9", {"V1"}) == f.SHARED
    assert f.seller_for(None, {"V1"}) == f.SHARED


def test_click_to_chat_and_phone_links():
    text = "Oi, Ana! Obrigado pela compra & volte: https://x.test/l/abc"
    link = f.whatsapp_link("+5511987654321", text)
    assert link.startswith("https://wa.me/5511987654321?text=Oi%2C%20Ana%21%20")
    assert unquote(link.split("text=", 1)[1]) == text
    assert f.tel_link("+5511987654321") == "tel:+5511987654321"
    assert f.first_name("Ana Maria Souza") == "Ana"
    assert f.first_name(None) == "cliente"


def test_outcomes_and_notes_are_checked():
    assert f.valid_outcome("will_come", "  volta  sábado ") == (f.Outcome.WILL_COME, "volta sábado")
    with pytest.raises(InvalidInput) as refused:
        f.valid_outcome("maybe")
    assert refused.value.field == "outcome"
    with pytest.raises(InvalidInput):
        f.valid_outcome("phone", "x" * 281)
    assert f.Outcome.NO_ANSWER not in f.REACHED
    assert f.Outcome.WILL_COME in f.REACHED


def test_overdue_items_expire_after_n_days():
    today = date(2026, 12, 10)
    assert f.is_overdue(date(2026, 12, 9), today, 3)
    assert f.is_overdue(date(2026, 12, 8), today, 3)
    assert not f.is_overdue(date(2026, 12, 7), today, 3)
    assert not f.is_overdue(today, today, 3)
    assert f.marker_id("centro", "V1") == "f-centro-V1"


def test_seller_codes():
    assert f.valid_seller_code(" V-01 ") == "V-01"
    with pytest.raises(InvalidInput):
        f.valid_seller_code(f.SHARED)
    with pytest.raises(InvalidInput):
        f.valid_seller_name("")
