"""Manual adjustments in the domain: the values a form or the CLI may give, a positive
adjustment as a lot of its origin store, a negative one taking that store's points first
and never below zero."""

from datetime import UTC, datetime, timedelta

import pytest

from bemtevi.domain.adjustments import (
    adjust,
    adjustment_id_from,
    points_from,
    reason_from,
)
from bemtevi.domain.ledger import EntryKind, Lot, Points
from bemtevi.domain.program import ProgramRules
from bemtevi.errors import InvalidInput

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)
PROGRAM = ProgramRules(validity_days=180, pending_days=7)


def lot(lot_id: str, remaining: int, expires_in: int, pending_in: int = 0) -> Lot:
    store_id, sale_id = lot_id.split(":")
    return Lot(
        lot_id,
        store_id,
        sale_id,
        NOW - timedelta(days=10),
        NOW + timedelta(days=expires_in),
        NOW + timedelta(days=pending_in),
        remaining,
        remaining,
    )


@pytest.mark.parametrize(
    ("text", "points"), [("50", 50), ("+50", 50), (" -20 ", -20), ("1 000", 1000), (7, 7)]
)
def test_points_are_a_signed_whole_number(text, points):
    assert points_from(text) == points


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Informe os pontos do ajuste como um número inteiro, ex.: 50 ou -20."),
        ("2,5", "Informe os pontos do ajuste como um número inteiro, ex.: 50 ou -20."),
        ("dez", "Informe os pontos do ajuste como um número inteiro, ex.: 50 ou -20."),
        ("0", "Um ajuste de 0 pontos não muda nada."),
        ("-0", "Um ajuste de 0 pontos não muda nada."),
        ("1000001", "Um ajuste vai até 1.000.000 pontos, para mais ou para menos."),
        ("-1000001", "Um ajuste vai até 1.000.000 pontos, para mais ou para menos."),
    ],
)
def test_points_refused_say_why_in_portuguese(text, message):
    with pytest.raises(InvalidInput) as refused:
        points_from(text)
    assert (refused.value.message, refused.value.field) == (message, "points")


def test_the_reason_is_required_and_bounded():
    assert reason_from("  venda   lançada\n sem CPF ") == "venda lançada sem CPF"
    assert reason_from("abc") == "abc"
    for bad in ("", "   ", "ab", "x" * 201, None):
        with pytest.raises(InvalidInput) as refused:
            reason_from(bad)
        assert refused.value.field == "reason"
        assert refused.value.message == "Escreva o motivo do ajuste (de 3 a 200 caracteres)."


def test_the_adjustment_id_is_a_token():
    assert adjustment_id_from("aB3_-xyz9") == "aB3_-xyz9"
    for bad in ("", "curto", "tem espaço aqui", "a:b:c:d:e", "x" * 65):
        with pytest.raises(InvalidInput):
            adjustment_id_from(bad)


def test_a_positive_adjustment_is_a_lot_of_its_store_available_at_once():
    before = Points((lot("b:v1", 30, 50),))
    done = adjust(before, PROGRAM, UTC, 50, "brinde", "a", "ajuste0001", NOW)
    new = done.points.lot("a:ajuste-ajuste0001")
    assert new is not None
    assert (new.store_id, new.amount, new.remaining) == ("a", 50, 50)
    assert new.pending_until == NOW  # no pending period, whatever the program says
    assert new.expires_at == NOW + timedelta(days=180)
    assert done.points.balance == 80
    assert done.points.available(NOW) == 80
    assert done.entry.kind == EntryKind.ADJUSTED
    assert (done.entry.points, done.entry.store_id, done.entry.reason) == (50, "a", "brinde")
    assert done.entry.lots == {"a:ajuste-ajuste0001": 50}
    assert done.entry.sale_id is None
    assert done.adjusted_by_store == {"a": 50}


def test_a_positive_adjustment_pays_the_debt_first():
    done = adjust(Points(debt=20), PROGRAM, UTC, 50, "acerto", "a", "ajuste0002", NOW)
    assert (done.points.balance, done.points.debt) == (30, 0)
    assert (done.entry.points, done.entry.debt) == (30, -20)
    assert done.adjusted_by_store == {"a": 30}


def test_a_positive_adjustment_merges_with_a_lot_of_the_same_store_and_days():
    same_day = Lot("a:v9", "a", "v9", NOW, NOW + timedelta(days=180), NOW, 10, 10)
    done = adjust(Points((same_day,)), PROGRAM, UTC, 5, "acerto", "a", "ajuste0003", NOW)
    assert [(item.lot_id, item.remaining) for item in done.points.lots] == [("a:v9", 15)]
    assert done.entry.lots == {"a:v9": 5}


def test_a_negative_adjustment_takes_its_stores_points_first_then_the_earliest_expiry():
    before = Points((lot("b:v1", 30, 10), lot("a:v2", 20, 90), lot("c:v3", 40, 5, pending_in=3)))
    done = adjust(before, PROGRAM, UTC, -60, "venda duplicada", "a", "ajuste0004", NOW)
    assert done.entry.lots == {"a:v2": -20, "c:v3": -40}
    assert (done.entry.points, done.entry.debt) == (-60, 0)
    assert done.points.balance == 30
    assert done.adjusted_by_store == {"a": -20, "c": -40}


@pytest.mark.parametrize(
    ("balance", "message"),
    [
        (25, "O cliente tem só 25 pontos."),
        (1, "O cliente tem só 1 ponto."),
        (0, "O cliente não tem pontos para tirar."),
        (1500, "O cliente tem só 1.500 pontos."),
    ],
)
def test_a_negative_adjustment_never_goes_below_zero(balance, message):
    before = Points((lot("a:v1", balance, 30),) if balance else ())
    with pytest.raises(InvalidInput) as refused:
        adjust(before, PROGRAM, UTC, -(balance + 1), "erro", "a", "ajuste0005", NOW)
    assert (refused.value.message, refused.value.field) == (message, "points")


def test_what_is_due_expires_before_and_is_not_taken():
    before = Points((lot("b:v1", 30, -1), lot("a:v2", 20, 90)))
    with pytest.raises(InvalidInput, match="só 20 pontos"):
        adjust(before, PROGRAM, UTC, -25, "erro", "a", "ajuste0006", NOW)
    done = adjust(before, PROGRAM, UTC, -20, "erro", "a", "ajuste0006", NOW)
    assert [entry.kind for entry in done.entries] == [EntryKind.EXPIRED, EntryKind.ADJUSTED]
    assert done.expired_by_store == {"b": 30}
    assert done.points.balance == 0
