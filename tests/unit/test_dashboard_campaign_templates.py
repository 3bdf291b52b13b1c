"""The campaign templates render the view-models' figures (the seed's case) as tables,
the chart with its words, and the actions as POST forms carrying the CSRF token."""

from __future__ import annotations

import html
from datetime import date

from bemtevi.domain.campaigns import campaign_figures
from bemtevi.domain.staff import Manager, Role
from bemtevi.web import page
from functions.dashboard.campaign_charts import Day, revenue_over_window
from functions.dashboard.campaign_view import funnel, group_rows, headline

ADMIN = Manager("u-1", "gestora@rede.com.br", "rede", Role.NETWORK)
FIGURES = campaign_figures(
    {"recipients": 900, "control": 100, "delivered": 880, "cost": 45_227}
    | {"r_sales": 100, "r_revenue": 369_633, "r_buyers": 90}
    | {"c_sales": 5, "c_revenue": 10_000, "c_buyers": 5}
)


def text(body: str) -> str:
    return html.unescape(body).replace("\xa0", " ")


def test_the_campaign_page_shows_funnel_groups_roi_chart_and_actions():
    chart = revenue_over_window([Day(date(2026, 12, 1), 369_633, 10_000)], 900, 100)
    body = text(
        page(
            "painel/campanha.html",
            title="Volta às compras",
            manager=ADMIN,
            nav=[],
            aviso="",
            situacao="Enviando",
            resumo="janela de 7 dias",
            funil=funnel(FIGURES),
            destaque=headline(FIGURES),
            grupos=group_rows(FIGURES),
            grafico=chart,
            tabelas=[
                {
                    "titulo": "Por loja",
                    "colunas": ["Loja", "Receita"],
                    "linhas": [("Centro", "R$ 1,00")],
                }
            ],
            acoes=[("pausar", "Pausar")],
            campanha_id="c-1",
            csrf="tok",
            campo_csrf="csrf",
        )
    )
    assert '<strong>880</strong> Entregues <span class="suave">(97,8 %)</span>' in body
    assert "<dd>R$ 8,17 por R$ 1,00</dd>" in body
    # incremental: 369633 - 10000 / 100 x 900 = 369633 - 90000 = 279633
    assert "<dd>R$ 2.796,33</dd>" in body
    assert '<th scope="row">Receita por pessoa</th><td>R$ 4,11</td><td>R$ 1,00</td>' in body
    assert "sem a mensagem, pelo grupo de controle, R$ 900,00" in body
    assert 'action="/painel/campanhas/c-1/pausar"' in body
    assert '<input type="hidden" name="csrf" value="tok">' in body
    assert '<th scope="row">Centro</th><td>R$ 1,00</td>' in body


def test_the_list_shows_status_and_roi():
    row = {"id": "c-1", "nome": "Volta", "situacao": "Enviada", "destinatarios": 900}
    row |= {"custo": "R$ 452,27", "receita": "R$ 3.696,33", "roi": "R$ 8,17 por R$ 1,00"}
    body = text(
        page(
            "painel/campanhas.html",
            title="Campanhas",
            manager=ADMIN,
            nav=[],
            campanhas=[row],
            pode_criar=True,
        )
    )
    assert '<a href="/painel/campanhas/c-1">Volta</a></th><td class="t">Enviada</td>' in body
    assert "<td>R$ 8,17 por R$ 1,00</td>" in body
    assert 'href="/painel/campanhas/nova"' in body


def test_each_status_offers_its_actions_and_the_list_row_reads_the_figures():
    from functions.dashboard.campaign_view import actions, list_row

    assert actions("sending") == (("pausar", "Pausar"), ("cancelar", "Cancelar"))
    assert actions("paused") == (("retomar", "Retomar"), ("cancelar", "Cancelar"))
    assert actions("cancelled") == actions("done") == ()
    seed = campaign_figures({"recipients": 2_000, "cost": 45_227, "r_revenue": 369_633})
    row = list_row("c-1", "Volta", "done", seed)
    assert (row["situacao"], row["roi"]) == ("Enviada", "R$\xa08,17 por R$\xa01,00")
    assert (row["custo"], row["receita"]) == ("R$\xa0452,27", "R$\xa03.696,33")


def test_the_new_campaign_form_refills_shows_errors_per_field_and_the_audience():
    body = text(
        page(
            "painel/campanha_nova.html",
            title="Nova campanha",
            manager=ADMIN,
            nav=[],
            form={"name": "Volta", "segment.spent.min": "dez", "segment.stores_any.centro": "1"},
            erros={"segment.spent.min": "Valor inválido: use reais com vírgula, ex.: 10,00."},
            lojas=[("centro", "Loja Centro"), ("bairro", "Bairro Alto")],
            segmentos=[("s-1", "Sumidos")],
            canais=[("sms", "SMS"), ("email", "E-mail"), ("whatsapp", "WhatsApp")],
            publico=["1.000 clientes", "100 no grupo de controle"],
            csrf="tok",
            campo_csrf="csrf",
        )
    )
    assert 'name="segment.spent.min" value="dez" inputmode="decimal" aria-invalid="true"' in body
    assert 'id="segment-spent-min-erro">Valor inválido: use reais com vírgula' in body
    assert 'name="segment.stores_any.centro" value="1" checked' in body
    assert 'name="segment.stores_any.bairro" value="1">' in body
    assert '<option value="s-1">Sumidos</option>' in body
    assert "<li>100 no grupo de controle</li>" in body
    assert 'name="control_percent" value="10"' in body
    assert 'name="window_days" value="7"' in body
    assert 'value="calcular">Calcular público</button>' in body
