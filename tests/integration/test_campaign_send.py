"""The campaigns' send job on moto, through the outbox's claim: once per customer, control
members never messaged, the opt-out honoured at the claim, a rerun and a killed run send
nothing twice, pause and cancel stop it, the pace per channel is kept (counted, not
timed). The audience index and the markers are c15-store's (store.audience,
store.attribution); here they are stood in for by fakes keeping their contract."""

import json
import sys
import types
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import bemtevi.store
from bemtevi.domain.audience import AudienceEntry
from bemtevi.domain.campaigns import in_control_group
from bemtevi.store import campaigns as repository
from bemtevi.store import customers, messages
from functions.campaigns import campaign_report, cancel, create_campaign, pause, send_due
from functions.messaging.pacing import Pacer
from tests.integration.messaging import TENANT, buy
from tests.integration.test_message_pace import FakeClock

ZONE = ZoneInfo("America/Sao_Paulo")
BOUGHT = datetime(2026, 3, 2, 11, tzinfo=ZONE)
NOW = datetime(2026, 3, 10, 10, tzinfo=ZONE)
PEOPLE = 12


@dataclass(frozen=True)
class Row:
    customer_id: str
    entry: AudienceEntry


@dataclass(frozen=True)
class CounterRow:
    day: str
    store_id: str
    counts: dict


class Fakes:
    """store.audience and store.attribution as their contract says."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.markers: dict[tuple[str, str], object] = {}
        self.counts: Counter = Counter()
        self.rows_by: dict[tuple[str, str, str], Counter] = {}

    def audience_page(self, tenant_id, shard, start, limit=500):
        if shard:
            return [], None
        first = start["i"] if start else 0
        page = self.rows[first : first + limit]
        more = first + limit < len(self.rows)
        return page, {"i": first + limit} if more else None

    def join(self, tenant_id, customer_id, membership) -> bool:
        key = (customer_id, membership.campaign_id)
        if key in self.markers:
            return False
        self.markers[key] = membership
        return True

    def add_counters(self, tenant_id, marker_id, day, store_id, **increments) -> None:
        self.counts.update(increments)
        self.rows_by.setdefault((marker_id, day, store_id), Counter()).update(increments)

    def counters(self, tenant_id, marker_id, first_day, last_day):
        return [
            CounterRow(day, store, dict(counts))
            for (marker, day, store), counts in sorted(self.rows_by.items())
            if marker == marker_id and first_day <= day <= last_day
        ]


@pytest.fixture
def fakes(monkeypatch) -> Fakes:
    found = Fakes()
    audience = types.ModuleType("bemtevi.store.audience")
    audience.AUDIENCE_SHARDS = 2
    audience.audience_page = found.audience_page
    attribution = types.ModuleType("bemtevi.store.attribution")
    attribution.join, attribution.add_counters = found.join, found.add_counters
    attribution.counters = found.counters
    for name, module in (("audience", audience), ("attribution", attribution)):
        monkeypatch.setitem(sys.modules, f"bemtevi.store.{name}", module)
        monkeypatch.setattr(bemtevi.store, name, module, raising=False)
    return found


@pytest.fixture
def audience(shop, fakes) -> list[str]:
    ids = [buy(shop, n, 10000, BOUGHT) for n in range(PEOPLE)]
    fakes.rows = [Row(i, AudienceEntry(reach=frozenset({"sms"}))) for i in ids]
    return ids


def _campaign(**change):
    form = {
        "name": "Volta",
        "segment": {},
        "channels": ["sms"],
        "messages": {"sms": "{{ rede }}: {{ nome }}, volte! {{ saldo }} pontos. {{ link }}"},
        "control_percent": 25,
        **change,
    }
    return create_campaign(TENANT, None, form, NOW)


def _split(campaign, ids):
    control = [i for i in ids if in_control_group(campaign.campaign_id, i, 25)]
    return [i for i in ids if i not in control], control


def test_each_recipient_gets_one_message_and_the_control_group_none(audience, fakes, channels):
    campaign = _campaign()
    recipients, control = _split(campaign, audience)
    assert control  # 25 % of 12: the draw gives some

    result = send_due(TENANT, NOW, channels=channels, page_size=5)
    again = send_due(TENANT, NOW + timedelta(minutes=10), channels=channels, page_size=5)

    assert result.campaigns[campaign.campaign_id] == {
        "sent": len(recipients),
        "control": len(control),
    }
    assert again.campaigns == {}  # done: not walked again
    assert len(channels["sms"].sent_to) == len(recipients)
    assert repository.get(TENANT, campaign.campaign_id).status == "done"
    roles = {c: str(m.role) for (c, _), m in fakes.markers.items()}
    assert roles == {**dict.fromkeys(recipients, "r"), **dict.fromkeys(control, "c")}
    assert fakes.counts == Counter(
        recipients=len(recipients),
        sms_recipients=len(recipients),
        control=len(control),
        delivered=len(recipients),
        cost=7 * len(recipients),
        sms_cost=7 * len(recipients),
    )
    sent = messages.get_message(TENANT, recipients[0], "campaign", campaign.campaign_id)
    assert (sent.status, sent.channel, sent.cost) == ("sent", "sms", 7)


def test_a_killed_run_resumed_sends_nothing_twice(audience, fakes, channels):
    campaign = _campaign()
    recipients, _ = _split(campaign, audience)
    budget = iter(range(7))

    first = send_due(TENANT, NOW, lambda: next(budget, None) is not None, channels, page_size=5)
    assert not first.finished
    # the run is walked again from its page's start: nothing of it twice
    send_due(TENANT, NOW, channels=channels, page_size=5)
    send_due(TENANT, NOW, channels=channels, page_size=5)

    assert sorted(channels["sms"].sent_to) == sorted(set(channels["sms"].sent_to))
    assert len(channels["sms"].sent_to) == len(recipients)
    assert fakes.counts["recipients"] == len(recipients)


def test_the_opt_out_is_honoured_at_the_claim(audience, fakes, channels):
    campaign = _campaign()
    recipients, _ = _split(campaign, audience)
    gone = customers.find_by_id(TENANT, recipients[0])
    # the index still says reachable: the claim's condition is what refuses
    messages.set_opt_outs(gone, {"sms": True}, NOW)

    result = send_due(TENANT, NOW, channels=channels)

    assert result.campaigns[campaign.campaign_id]["sent"] == len(recipients) - 1
    assert gone.phone not in channels["sms"].sent_to
    assert (recipients[0], campaign.campaign_id) not in fakes.markers


def test_pause_and_cancel_stop_the_sends(audience, fakes, channels):
    campaign = _campaign()
    pause(TENANT, None, campaign.campaign_id, NOW)
    assert send_due(TENANT, NOW, channels=channels).campaigns == {}
    assert channels["sms"].sent_to == []
    cancel(TENANT, None, campaign.campaign_id, NOW)
    assert send_due(TENANT, NOW, channels=channels).campaigns == {}
    assert channels["sms"].sent_to == []


def test_the_rate_cap_spaces_the_sends(audience, fakes, channels):
    from functions.messaging.configuration import set_messaging

    set_messaging(TENANT, sms_per_second=4)
    campaign = _campaign()
    recipients, _ = _split(campaign, audience)
    clock = FakeClock()

    send_due(TENANT, NOW, channels=channels, pacer=Pacer(clock, clock.sleep))

    # the first goes at once, each other a quarter of a second after the one before
    assert len(clock.slept) == len(recipients) - 1
    assert sum(clock.slept) == pytest.approx(0.25 * (len(recipients) - 1))


def test_the_seeds_case_through_the_campaign_report(shop, fakes):
    """R$ 452,27 of SMS and R$ 3.696,33 of attributed sales in 7 days: R$ 8,17 per
    R$ 1,00 (369.633 / 45.227 = 8,1728...), read back from the day counters."""
    campaign = _campaign()
    fakes.add_counters(TENANT, campaign.campaign_id, "2026-03-10", "loja-1", cost=45227)
    for day, revenue in (("2026-03-11", 200000), ("2026-03-16", 169633)):
        fakes.add_counters(TENANT, campaign.campaign_id, day, "loja-1", r_revenue=revenue)
    fakes.add_counters(TENANT, campaign.campaign_id, "2026-03-30", "loja-1", r_revenue=99)

    report = campaign_report(TENANT, None, campaign.campaign_id, NOW)

    assert report.figures.recipient.revenue == 369633  # the 30th is outside the window
    assert report.roi_text == "R$\xa08,17 por R$\xa01,00"
    assert [day for day, _ in report.by_day] == ["2026-03-10", "2026-03-11", "2026-03-16"]


def test_the_command_line_creates_sends_and_shows(audience, fakes, channels, capsys, monkeypatch):
    import cli.campaigns
    from cli.main import main

    monkeypatch.setattr(cli.campaigns, "_now", lambda: NOW)
    monkeypatch.setattr("functions.messaging.sending.channels_for", lambda rules: channels)
    text = "sms={{ nome }}, volte: {{ link }}"
    create = ["campaign", "create", "--tenant", TENANT, "--name", "Volta", "--message", text]
    code = main([*create, "--control-percent", "25", "--json"])
    created = json.loads(capsys.readouterr().out)
    assert code == 0
    assert created["status"] == "scheduled"
    recipients, _ = _split(repository.get(TENANT, created["campaign_id"]), audience)
    assert main(["campaign", "send", "--tenant", TENANT]) == 0
    assert f"sent: {len(recipients)}" in capsys.readouterr().out
    assert main(["campaign", "show", "--tenant", TENANT, "--id", created["campaign_id"]]) == 0
    shown = capsys.readouterr().out
    assert "concluída" in shown
    assert f"destinatários: {len(recipients)}; entregues: {len(recipients)}" in shown
    assert main(["campaign", "list", "--tenant", TENANT]) == 0
    assert "Volta" in capsys.readouterr().out
