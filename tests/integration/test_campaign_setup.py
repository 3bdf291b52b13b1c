"""Campaigns set up: the form checked field by field, the store manager's scope, the
status moves (pause, resume, cancel) and saved segments."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.staff import Manager, Role
from bemtevi.errors import Conflict, InvalidInput, NotFound
from bemtevi.store import campaigns as repository
from functions.campaigns import (
    campaign_list,
    cancel,
    create_campaign,
    pause,
    resume,
    save_segment,
    segments,
)
from functions.campaigns.setup import OutOfScope

ZONE = ZoneInfo("America/Sao_Paulo")
NOW = datetime(2026, 3, 10, 10, tzinfo=ZONE)
FORM = {
    "name": "Volta às aulas",
    "segment": {"days_since_purchase": {"min": 30}},
    "channels": ["sms", "email"],
    "messages": {
        "sms": "{{ rede }}: {{ nome }}, volte! {{ saldo }} pontos: {{ link }}",
        "email": "Olá, {{ nome }}! Seus {{ saldo }} pontos esperam por você.",
    },
}
ADMIN = Manager("s-1", "ana@rede.com.br", "rede-teste", Role.NETWORK)
MANAGER = Manager("s-2", "bia@rede.com.br", "rede-teste", Role.STORE, frozenset({"loja-1"}))


def test_a_campaign_is_scheduled_with_its_defaults(store):
    campaign = create_campaign("rede-teste", ADMIN, FORM, NOW)
    stored = repository.get("rede-teste", campaign.campaign_id)
    assert stored == campaign
    assert (stored.status, stored.control_percent, stored.window_days) == ("scheduled", 10, 7)
    assert stored.send_at == NOW
    assert stored.channels == ("sms", "email")
    assert stored.segment == {"days_since_purchase": {"min": 30}}
    assert stored.stores == ()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"channels": ["fax"]}, "channels"),
        ({"messages": {"sms": "{{ pontos_ganhos }}", "email": "x"}}, "messages.sms"),
        ({"messages": {"sms": "oi"}}, "messages.email"),
        ({"control_percent": 60}, "control_percent"),
        ({"window_days": 0}, "window_days"),
        ({"send_at": "2026-03-10T22:00:00"}, "send_at"),
        ({"send_at": "2026-03-09T10:00:00"}, "send_at"),
        ({"segment": {"spent": {"min": -1}}}, "spent.min"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(store, change, field):
    with pytest.raises(InvalidInput) as refused:
        create_campaign("rede-teste", ADMIN, {**FORM, **change}, NOW)
    assert refused.value.field == field
    assert repository.every("rede-teste") == []


def test_a_store_manager_targets_only_their_stores(store):
    campaign = create_campaign("rede-teste", MANAGER, FORM, NOW)
    assert campaign.stores == ("loja-1",)
    assert campaign.segment["stores_any"] == ["loja-1"]
    with pytest.raises(InvalidInput) as refused:
        create_campaign("rede-teste", MANAGER, {**FORM, "segment": {"stores_any": ["x"]}}, NOW)
    assert refused.value.field == "stores_any"
    other = Manager("s-3", "c@r.com", "rede-teste", Role.STORE, frozenset({"loja-2"}))
    network_wide = create_campaign("rede-teste", ADMIN, FORM, NOW)
    assert [s.campaign.campaign_id for s in campaign_list("rede-teste", other, NOW)] == []
    with pytest.raises(NotFound):
        pause("rede-teste", MANAGER, network_wide.campaign_id, NOW)
    seller = Manager("s-4", "d@r.com", "rede-teste", Role.SELLER, frozenset({"loja-1"}))
    with pytest.raises(OutOfScope):
        create_campaign("rede-teste", seller, FORM, NOW)


def test_pause_resume_and_cancel(store):
    campaign = create_campaign("rede-teste", None, FORM, NOW)
    assert pause("rede-teste", None, campaign.campaign_id, NOW).status == "paused"
    assert resume("rede-teste", None, campaign.campaign_id, NOW).status == "scheduled"
    assert cancel("rede-teste", None, campaign.campaign_id, NOW).status == "cancelled"
    with pytest.raises(Conflict):
        resume("rede-teste", None, campaign.campaign_id, NOW)
    assert repository.get("rede-teste", campaign.campaign_id).status == "cancelled"


def test_saved_segments_by_name(store):
    saved = save_segment(
        "rede-teste", ADMIN, "Sumidos há 60 dias", {"days_since_purchase": {"min": 60}}, NOW
    )
    assert saved.segment_id == "sumidos-ha-60-dias"
    assert [s.name for s in segments("rede-teste", ADMIN)] == ["Sumidos há 60 dias"]
    assert segments("rede-teste", MANAGER) == []
    campaign = create_campaign(
        "rede-teste", ADMIN, {**FORM, "segment": None, "segment_id": saved.segment_id}, NOW
    )
    assert campaign.segment == {"days_since_purchase": {"min": 60}}
