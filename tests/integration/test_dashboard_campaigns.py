"""/painel/campanhas: a network admin creates a campaign through the form (the function
`bemtevi campaign create` calls), sees it listed with its status and ROI, opens its page
and pauses it (CSRF-checked); a refused value comes back next to its field, nothing
written; a store manager sees only their scope's campaigns (another's is 404)."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

import bemtevi.store
from functions import campaigns
from tests.integration import dashboard_people as people
from tests.integration import test_dashboard_stores as stores_page
from tests.integration.test_dashboard_program import text_of
from tests.integration.test_dashboard_sign_in import form_page, post
from tests.integration.test_dashboard_stores import TENANT

http = stores_page.http
NEW = "/painel/campanhas/nova"
GOOD = {
    "name": "Volta às compras",
    "segment.days_since_purchase.min": "30",
    "canal.sms": "1",
    "mensagem.sms": "Oi, volte: seu saldo te espera.",
    "quando": "agora",
    "control_percent": "10",
    "window_days": "7",
    "acao": "criar",
}


@dataclass(frozen=True)
class CounterRow:
    day: str
    store_id: str
    counts: dict[str, int] = field(default_factory=dict)


ROWS: list[CounterRow] = []
"""The campaign's day counters the fake store.attribution answers (c15-store's
contract: `counters(tenant, marker, first_day, last_day) -> list[CounterRow]`)."""


@pytest.fixture(autouse=True)
def counters(monkeypatch):
    fake = types.ModuleType("bemtevi.store.attribution")
    fake.counters = lambda tenant, marker, first, last: list(ROWS)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bemtevi.store.attribution", fake)
    monkeypatch.setattr(bemtevi.store, "attribution", fake, raising=False)
    ROWS.clear()


def signed_in(http, who: str = "rede") -> tuple[str, str]:
    return form_page(http, NEW, people.sign_in(who).cookie())


def test_a_campaign_created_in_the_form_is_listed_opened_and_paused(http):
    token, jar = signed_in(http)
    answer = post(http, NEW, jar, {"csrf": token, **GOOD})
    assert answer.status_code == 303, text_of(answer)
    (made,) = campaigns.campaign_list(TENANT, None)
    assert made.campaign.segment == {"days_since_purchase": {"min": 30}}
    assert (made.campaign.channels, made.campaign.control_percent) == (("sms",), 10)
    location = answer.headers["Location"]
    assert location == f"/painel/campanhas/{made.campaign.campaign_id}?aviso=criada"
    listed = text_of(http.get("/painel/campanhas", headers={"cookie": jar}))
    assert "Volta às compras" in listed
    page = text_of(http.get(location, headers={"cookie": jar}))
    assert "Campanha criada." in page
    assert "controle 10 %, janela de 7 dias" in page
    pause = f"/painel/campanhas/{made.campaign.campaign_id}/pausar"
    assert post(http, pause, jar, {}).status_code == 403
    assert campaigns.campaign_list(TENANT, None)[0].campaign.status != "paused"
    paused = post(http, pause, jar, {"csrf": token})
    assert paused.status_code == 303
    assert campaigns.campaign_list(TENANT, None)[0].campaign.status == "paused"
    again = text_of(http.get(paused.headers["Location"], headers={"cookie": jar}))
    assert "Campanha pausada." in again
    assert "Pausada" in again
    assert 'action="/painel/campanhas/' + made.campaign.campaign_id + '/retomar"' in again


def test_a_refused_value_comes_back_next_to_its_field_and_nothing_is_written(http):
    token, jar = signed_in(http)
    form = {**GOOD, "segment.spent.min": "dez", "control_percent": "60"}
    answer = post(http, NEW, jar, {"csrf": token, **form})
    assert answer.status_code == 400
    page = text_of(answer)
    assert 'id="segment-spent-min-erro">Valor inválido: use reais com vírgula, ex.: 10,00.' in page
    assert 'name="name" value="Volta às compras"' in page
    assert campaigns.campaign_list(TENANT, None) == []
    form = {**GOOD, "control_percent": "60"}
    page = text_of(post(http, NEW, jar, {"csrf": token, **form}))
    assert 'id="control-percent-erro">Grupo de controle: de 0 a 50 % dos clientes.' in page
    assert campaigns.campaign_list(TENANT, None) == []


def test_a_store_manager_does_not_open_a_network_campaign(http):
    made = campaigns.create_campaign(
        TENANT,
        None,
        {"name": "Rede toda", "segment": {}, "channels": ["sms"], "messages": {"sms": "Oi"}},
        datetime.now(UTC),
    )
    jar = people.sign_in("loja").cookie()
    answer = http.get(f"/painel/campanhas/{made.campaign_id}", headers={"cookie": jar})
    assert answer.status_code == 404
    assert "Rede toda" not in text_of(http.get("/painel/campanhas", headers={"cookie": jar}))
    seller = people.sign_in("vendedor").cookie()
    assert http.get("/painel/campanhas", headers={"cookie": seller}).status_code == 403


def test_the_pages_show_the_seed_case_and_the_lift_by_hand(http):
    made = campaigns.create_campaign(
        TENANT,
        None,
        {"name": "Semente", "segment": {}, "channels": ["sms"], "messages": {"sms": "Oi"}},
        datetime.now(UTC),
    )
    day = made.send_at.date().isoformat()
    sends = {"recipients": 2_000, "control": 200, "delivered": 1_950, "cost": 45_227}
    sales = {"r_sales": 120, "r_revenue": 369_633, "r_buyers": 100, "r_sms_revenue": 369_633}
    control = {"c_sales": 8, "c_revenue": 20_000, "c_buyers": 6}
    ROWS.append(CounterRow(day, people.STORE_A[0], {**sends, **sales, **control}))
    jar = people.sign_in("rede").cookie()
    listed = text_of(http.get("/painel/campanhas", headers={"cookie": jar}))
    assert "<td>R$ 8,17 por R$ 1,00</td>" in listed
    page = text_of(http.get(f"/painel/campanhas/{made.campaign_id}", headers={"cookie": jar}))
    # incremental: 369633 - 20000 / 200 x 2000 = 169633; its ROI 169633 / 452,27 = 3,75
    assert "<dd>R$ 1.696,33</dd>" in page
    assert "<dd>R$ 3,75 por R$ 1,00</dd>" in page
    assert '<th scope="row">Receita por pessoa</th><td>R$ 1,85</td><td>R$ 1,00</td>' in page
    assert "<strong>1950</strong> Entregues" in page
    # the control's R$ 200,00 scaled to 2,000 recipients: R$ 2.000,00
    assert "sem a mensagem, pelo grupo de controle, R$ 2.000,00" in page
