"""The pure rules of automatic messages: quiet hours, periods, channels, costs, retries,
opt-out keywords, and the figures a message states."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.benefits import Benefit
from bemtevi.domain.ledger import Lot, Points
from bemtevi.domain.messaging import (
    MessagingRules,
    channel_for,
    cost_of,
    gives_up,
    is_opt_out,
    may_send_at,
    next_send_window,
    policy_for,
    retry_delay,
)
from bemtevi.errors import InvalidInput

ZONE = ZoneInfo("America/Sao_Paulo")
RULES = MessagingRules()


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (local(5, 8, 59), False),
        (local(5, 9), True),
        (local(5, 19, 59), True),
        (local(5, 20), False),
    ],
)
def test_quiet_hours_are_local_time(moment, allowed):
    assert may_send_at(RULES, moment.astimezone(UTC), ZONE) is allowed


def test_a_held_message_goes_at_the_next_opening():
    assert next_send_window(RULES, local(5, 21), ZONE) == local(6, 9)
    assert next_send_window(RULES, local(6, 3), ZONE) == local(6, 9)


def test_periods_welcome_once_reminder_monthly_expiry_per_date():
    moment = local(31, 23).astimezone(UTC)  # already January in UTC, still December here
    assert policy_for("welcome").period(moment, ZONE) == "ever"
    assert policy_for("reminder").period(moment, ZONE) == "2026-12"
    assert policy_for("expiry").period(moment, ZONE, date(2027, 1, 9)) == "2027-01-09"


def test_the_first_reachable_channel_not_turned_off_is_used():
    rules = MessagingRules(channels=("whatsapp", "sms", "email"), whatsapp_phone_number_id="n")
    assert channel_for(rules, True, True, set()) == "whatsapp"
    assert channel_for(rules, True, True, {"whatsapp"}) == "sms"
    assert channel_for(rules, False, True, set()) == "email"
    assert channel_for(rules, True, False, {"whatsapp", "sms"}) is None
    assert channel_for(MessagingRules(channels=("whatsapp", "sms")), True, False, set()) == "sms"


def test_costs_are_centavos_per_segment_or_message():
    assert cost_of(RULES, "sms", 3) == 21
    assert cost_of(RULES, "whatsapp", 1) == 35
    assert cost_of(RULES, "email", 1) == 0


def test_retries_back_off_then_give_up():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(hours=2),
    ]
    assert (gives_up(4), gives_up(5)) == (False, True)


@pytest.mark.parametrize(
    "reply",
    ["SAIR", "sair", "Sáir", " parar ", "PARE!!", "Stop.", "cancelar por favor", "CANCELAR"],
)
def test_opt_out_keywords_in_any_case_with_or_without_accents(reply):
    assert is_opt_out(reply)


@pytest.mark.parametrize("reply", ["", "Obrigada!", "quero sair da fila", "parabéns", "stopped"])
def test_other_replies_are_not_opt_outs(reply):
    assert not is_opt_out(reply)


@pytest.mark.parametrize(
    "change",
    [
        {"channels": ()},
        {"channels": ("fax",)},
        {"send_from_hour": 20, "send_until_hour": 9},
        {"reminder_day": 31},
        {"job_hour": 22},
        {"expiry_warning_days": 0},
        {"sms_segment_cost": -1},
    ],
)
def test_settings_out_of_range_are_refused(change):
    with pytest.raises(InvalidInput):
        MessagingRules(**change)


def lot(n: int, remaining: int, expires: datetime) -> Lot:
    earned = expires - timedelta(days=180)
    return Lot(f"loja:{n}", "loja", str(n), earned, expires, earned, remaining, remaining)


def test_the_figures_of_each_kind():
    now = local(5, 10)
    points = Points(
        lots=(lot(1, 40, now + timedelta(days=3)), lot(2, 90, now + timedelta(days=60)))
    )
    benefits = (
        Benefit("dez", "R$ 10", "discount", 100, 1000),
        Benefit("vinte", "R$ 20", "discount", 200, 2000),
    )
    welcome = policy_for("welcome").figures(points, benefits, now, ZONE, 15)
    expiry = policy_for("expiry").figures(points, benefits, now, ZONE, 15)
    assert (welcome.points, welcome.value, welcome.expires_on) == (130, 1000, date(2026, 12, 8))
    assert (expiry.points, expiry.expires_on) == (40, date(2026, 12, 8))
