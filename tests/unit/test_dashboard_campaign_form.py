"""The new-campaign form's fields as the dict `functions.campaigns` takes, and the
campaign page's revenue chart, with hand-computed figures."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bemtevi.domain.segments import segment_dict, segment_from
from bemtevi.errors import InvalidInput
from functions.dashboard.campaign_charts import Day, expected, revenue_over_window
from functions.dashboard.campaign_form import campaign_of, field_of, segment_of

ZONE = ZoneInfo("America/Sao_Paulo")


def test_the_builder_makes_the_segment_the_domain_reads():
    form = {
        "segment.days_since_purchase.min": "30",
        "segment.spent.min": "150,50",
        "segment.window_days": "60",
        "segment.stores_any.centro": "1",
        "segment.stores_any.bairro": "1",
        "segment.categories": "Fraldas, Mamadeiras ,",
        "segment.bought_days": "",
        "segment.birthday.month": "12",
        "segment.channel": "sms",
        "segment.balance.max": "",
    }
    segment = segment_of(form)
    assert segment == {
        "days_since_purchase": {"min": 30},
        "spent": {"min": 15_050},
        "window_days": 60,
        "stores_any": ["bairro", "centro"],
        "categories": ["Fraldas", "Mamadeiras"],
        "birthday": {"month": 12},
        "channel": "sms",
    }
    assert segment_dict(segment_from(segment))["spent"] == {"min": 15_050}


def test_a_field_that_is_not_a_number_is_refused_by_the_domain_naming_it():
    with pytest.raises(InvalidInput) as refused:
        segment_from(segment_of({"segment.purchases.max": "dois"}))
    assert refused.value.field == "purchases.max"
    assert field_of(refused.value.field) == "segment.purchases.max"
    with pytest.raises(InvalidInput) as money:
        segment_of({"segment.average_ticket.min": "10,005"})
    assert money.value.field == "segment.average_ticket.min"


def test_the_whole_form_with_its_defaults_and_a_later_schedule():
    form = {
        "name": " Volta às compras ",
        "canal.whatsapp": "2",
        "canal.sms": "1",
        "canal.email": "",
        "mensagem.sms": "Oi {{ nome }}",
        "mensagem.whatsapp": "Olá",
        "mensagem.email": "não vai",
        "quando": "depois",
        "send_at": "2026-12-05T10:30",
    }
    assert campaign_of(form, ZONE) == {
        "name": "Volta às compras",
        "channels": ["sms", "whatsapp"],
        "messages": {"sms": "Oi {{ nome }}", "whatsapp": "Olá"},
        "send_at": "2026-12-05T10:30:00-03:00",
        "control_percent": 10,
        "window_days": 7,
        "segment": {},
    }
    saved = campaign_of({"segment_id": "s-1", "quando": "agora", "control_percent": "x"}, ZONE)
    assert (saved["segment_id"], saved["send_at"], saved["control_percent"]) == ("s-1", None, -1)
    assert "segment" not in saved


def test_a_later_schedule_without_a_date_names_its_field():
    with pytest.raises(InvalidInput) as refused:
        campaign_of({"quando": "depois", "send_at": ""}, ZONE)
    assert refused.value.field == "send_at"


def test_the_chart_scales_the_control_group_to_the_recipients():
    # 900 recipients, 100 control: R$ 10,00 of control revenue is R$ 90,00 expected
    assert expected(1_000, 100, 900) == 9_000
    assert expected(1_000, 0, 900) is None
    days = [Day(date(2026, 12, 1), 36_000, 1_000), Day(date(2026, 12, 2), 18_000, 0)]
    chart = revenue_over_window(days, 900, 100)
    texts = [bar.text for bar in chart.bars]
    assert texts == [
        "01/12, destinatários: R$\xa0360,00",
        "01/12, controle: R$\xa090,00",
        "02/12, destinatários: R$\xa0180,00",
        "02/12, controle: R$\xa00,00",
    ]
    # the tallest bar (R$ 360,00) fills the drawing height: 150 - 12 - 22 = 116
    assert chart.bars[0].height == 116.0
    assert chart.bars[2].height == 58.0
    assert chart.description == (
        "Receita dos destinatários de 01/12 a 02/12: R$\xa0540,00; "
        "sem a mensagem, pelo grupo de controle, R$\xa090,00."
    )


def test_the_seed_case_reads_r_8_17_per_r_1_00_with_its_lift():
    from bemtevi.domain.campaigns import campaign_figures
    from functions.dashboard.campaign_view import funnel, group_rows, headline

    # 2,000 recipients (1,950 delivered), 200 control; recipients bought R$ 3.696,33 in
    # 120 sales by 100 people; control R$ 200,00 in 8 sales by 6 people.
    figures = campaign_figures(
        {
            "recipients": 2_000,
            "control": 200,
            "delivered": 1_950,
            "cost": 45_227,
            "r_sales": 120,
            "r_revenue": 369_633,
            "r_buyers": 100,
            "c_sales": 8,
            "c_revenue": 20_000,
            "c_buyers": 6,
        }
    )
    shown = headline(figures)
    # incremental: (369633/2000 - 20000/200) x 2000 = 369633 - 200000 = 169633
    assert shown["roi"] == "R$\xa08,17 por R$\xa01,00"
    assert shown["incremental"] == "R$\xa01.696,33"
    # 169633 / 452.27 = 375.07... centavos per real
    assert shown["roi_incremental"] == "R$\xa03,75 por R$\xa01,00"
    assert [(s.label, s.value, s.share) for s in funnel(figures)] == [
        ("Destinatários", 2_000, ""),
        ("Entregues", 1_950, "97,5 %"),
        ("Compraram", 100, "5,0 %"),
    ]
    rows = dict((label, (ours, theirs)) for label, ours, theirs in group_rows(figures))
    assert rows["Compraram"] == ("100 (5,0 %)", "6 (3,0 %)")
    # per head: 369633 / 2000 = 184.8165 -> R$ 1,85; 20000 / 200 = R$ 1,00
    assert rows["Receita por pessoa"] == ("R$\xa01,85", "R$\xa01,00")
    # average ticket: 369633 / 120 = 3080.275 -> R$ 30,80; 20000 / 8 = R$ 25,00
    assert rows["Ticket médio"] == ("R$\xa030,80", "R$\xa025,00")
