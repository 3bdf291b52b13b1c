"""/painel/textos: the automatic messages' texts edited from the dashboard through the
functions `bemtevi template set|list` call (a text the CLI refuses is refused with its
message, nothing written), previewed for a sample customer without writing anything
(SMS: character set, segments and cost of what is actually sent), reset to the default;
and the sending settings set through `bemtevi messaging set`'s function."""

from __future__ import annotations

import re

import pytest

from bemtevi import settings
from bemtevi.security import links
from cli.main import main
from functions.common import tenancy
from functions.messaging import configuration, tenant_templates
from tests.integration import dashboard_people as people
from tests.integration import test_dashboard_stores as stores_page
from tests.integration.test_dashboard_program import text_of
from tests.integration.test_dashboard_sign_in import post
from tests.integration.test_dashboard_stores import TENANT, details, signed_in

http = stores_page.http

LIST = "/painel/textos"
EDIT = "/painel/textos/editar"
REMINDER_SMS = {"kind": "reminder", "channel": "sms"}
NEW_TEXT = "{{ rede }}: {{ nome }}, seus {{ saldo }} pontos valem {{ valor }}. {{ link }}"
SENDING = {
    "canal.sms": "2",
    "canal.whatsapp": "",
    "canal.email": "1",
    "send_from_hour": "8",
    "send_until_hour": "21",
    "job_hour": "9",
    "reminder_day": "10",
    "expiry_warning_days": "20",
}


def saved() -> list[dict]:
    return tenant_templates.list_templates(TENANT)


def custom() -> list[tuple[str, str, str]]:
    return [(t["kind"], t["channel"], t["text"]) for t in saved() if t["custom"]]


def preview(http, text: str, jar: str, token: str, channel: str = "sms"):
    fields = {"csrf": token, "kind": "reminder", "channel": channel, "text": text}
    return post(http, EDIT, jar, {**fields, "acao": "previa"})


def measures(page) -> tuple[str, str, str, str]:
    """The preview's characters, character set, segments and cost per message."""
    text = text_of(page)
    found = []
    for term in ("Caracteres", "Codificação", "Segmentos", "Custo por mensagem"):
        value = text.split(f"<dt>{term}</dt><dd", 1)[1].split(">", 1)[1].split("</dd>", 1)[0]
        found.append(value)
    return found[0], found[1], found[2], found[3]


def test_the_list_shows_every_kind_and_channel_and_the_cache_time(http):
    page = http.get(LIST, headers={"cookie": people.sign_in("rede").cookie()})
    text = text_of(page)
    assert page.status_code == 200
    assert text.count(">padrão</td>") == 9
    assert f'href="{EDIT}?tipo=reminder&amp;canal=sms"' in page.body.decode()
    assert "chega aos envios e aos caixas em até 60 segundos" in text
    assert 'name="reminder_day" value="5"' in text


def test_the_edit_page_lists_the_kinds_variables_and_previews_the_saved_text(http):
    cookie = people.sign_in("rede").cookie()
    page = http.get(f"{EDIT}?tipo=expiry&canal=sms", headers={"cookie": cookie})
    text = text_of(page)
    assert page.status_code == 200
    variables = ["nome", "pontos_a_vencer", "saldo", "valor", "data_expiracao", "link"]
    assert all(f"<li><code>{name}</code></li>" in text for name in variables)
    assert "<li><code>pontos_ganhos</code></li>" not in text
    assert re.search(
        r"Rede A: Maria, 400 pontos vencem em 15/12/2026\. Use antes: \S+/l/\w+<", text
    )
    missing = http.get(f"{EDIT}?tipo=outro&canal=sms", headers={"cookie": cookie})
    assert missing.status_code == 404


def test_saving_changes_what_the_cli_lists_and_is_audited(http, capsys):
    token, jar = signed_in(http)
    answer = post(http, EDIT, jar, {"csrf": token, **REMINDER_SMS, "text": NEW_TEXT})
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{EDIT}?tipo=reminder&canal=sms&aviso=salvo"
    assert custom() == [("reminder", "sms", NEW_TEXT)]
    assert main(["template", "list", "--tenant", TENANT]) == 0
    assert f"lembrete por SMS (personalizado):\n  {NEW_TEXT}" in capsys.readouterr().out
    assert details()[0] == "Texto alterado: lembrete por SMS"
    listed = text_of(http.get(LIST, headers={"cookie": jar}))
    assert listed.count(">personalizado</td>") == 1
    page = text_of(http.get(f"{EDIT}?tipo=reminder&canal=sms&aviso=salvo", headers={"cookie": jar}))
    assert "Texto salvo." in page
    assert "Rede A: Maria, seus 1.250 pontos valem R$ 25,00." in page


def test_an_email_and_a_whatsapp_template_are_saved_as_the_cli_takes_them(http):
    token, jar = signed_in(http)
    email = {"subject": "Oi {{ nome }}", "text": "Saldo {{ saldo }}", "html": "<p>{{ nome }}</p>"}
    post(http, EDIT, jar, {"csrf": token, "kind": "welcome", "channel": "email", **email})
    whatsapp = {"whatsapp_template": "meu_modelo", "parameters": "nome, saldo"}
    post(http, EDIT, jar, {"csrf": token, "kind": "welcome", "channel": "whatsapp", **whatsapp})
    mine = {(t["kind"], t["channel"]): t for t in saved() if t["custom"]}
    assert (mine["welcome", "email"]["subject"], mine["welcome", "email"]["html"]) == (
        "Oi {{ nome }}",
        "<p>{{ nome }}</p>",
    )
    assert mine["welcome", "whatsapp"]["whatsapp_template"] == "meu_modelo"
    assert mine["welcome", "whatsapp"]["parameters"] == ["nome", "saldo"]


@pytest.mark.parametrize(
    ("channel", "fields", "field", "cli"),
    [
        ("sms", {"text": "Oi {{ pontos_ganhos }}"}, "text", ["--text", "Oi {{ pontos_ganhos }}"]),
        ("sms", {"text": "  "}, "text", ["--text", "  "]),
        ("sms", {"text": "Oi {{ nome"}, "text", ["--text", "Oi {{ nome"]),
        (
            "email",
            {"text": "Oi", "subject": "{{ cpf }}"},
            "subject",
            ["--text", "Oi", "--subject", "{{ cpf }}"],
        ),
        (
            "whatsapp",
            {"whatsapp_template": "modelo", "parameters": "nome,cpf"},
            "parameters",
            ["--whatsapp-template", "modelo", "--parameters", "nome,cpf"],
        ),
    ],
    ids=["other-kinds-variable", "empty", "syntax", "email-subject", "whatsapp-parameter"],
)
@pytest.mark.parametrize("action", ["salvar", "previa"])
def test_a_refused_template_shows_the_clis_message_and_writes_nothing(
    http, capsys, channel, fields, field, cli, action
):
    cli_args = ["template", "set", "--tenant", TENANT, "--kind", "reminder", "--channel", channel]
    assert main([*cli_args, *cli]) == 1
    message = capsys.readouterr().err.removeprefix("Erro: ").removesuffix("\n")
    token, jar = signed_in(http)
    before, logged = saved(), details()
    form = {"csrf": token, "kind": "reminder", "channel": channel, **fields, "acao": action}
    answer = post(http, EDIT, jar, form)
    text = text_of(answer)
    assert answer.status_code == 400
    assert f'id="{field}-erro">{message}</span>' in text
    assert "Corrija o texto para ver a prévia." in text
    assert all(value in text for value in fields.values())  # the form re-filled
    assert saved() == before
    assert details() == logged


def test_a_preview_shows_the_unsaved_text_on_the_sample_customer_and_writes_nothing(http):
    token, jar = signed_in(http)
    before, logged = saved(), details()
    answer = preview(http, "{{ nome }} tem {{ saldo }} pontos até {{ data_expiracao }}", jar, token)
    text = text_of(answer)
    assert answer.status_code == 200
    # as it is sent: transliterated to GSM-7 (the tenant keeps no accents)
    assert '<p class="mensagem">Maria tem 1.250 pontos ate 15/12/2026</p>' in text
    assert ">{{ nome }} tem {{ saldo }} pontos até {{ data_expiracao }}</textarea>" in text
    assert saved() == before
    assert details() == logged
    assert (
        post(http, EDIT, jar, {"kind": "reminder", "channel": "sms", "acao": "previa"}).status_code
        == 403
    )


def test_the_sample_link_is_built_as_a_messages_link(http):
    """The code comes from the tenant's pepper, as a real message's does."""
    code = links.short_code(tenancy.tenant(TENANT).pepper, tenant_templates.SAMPLE_LINK_KEY)
    context = tenant_templates.sample_context(TENANT)
    assert context.link == f"{settings.public_url()}/l/{code}"
    assert (context.nome, context.loja, context.rede) == ("Maria da Silva", "Loja Alfa", "Rede A")


@pytest.mark.parametrize(
    ("text", "accents", "expected"),
    [
        # GSM-7: 160 characters fit one message; past it, 153 a segment: ceil(161/153) = 2
        ("a" * 160, False, ("160", "GSM-7", "1", "R$ 0,07")),
        ("a" * 161, False, ("161", "GSM-7", "2", "R$ 0,14")),
        # the extension characters count twice: 80 x "€" is 160 units, one more a 2nd segment
        ("€" * 80, False, ("80", "GSM-7", "1", "R$ 0,07")),
        ("€" * 80 + "a", False, ("81", "GSM-7", "2", "R$ 0,14")),
        # UCS-2 (accents kept): 70 in one message, 67 a segment: ceil(71/67) = 2, ceil(135/67) = 3
        ("ç" * 70, True, ("70", "UCS-2", "1", "R$ 0,07")),
        ("ç" * 71, True, ("71", "UCS-2", "2", "R$ 0,14")),
        ("ç" * 135, True, ("135", "UCS-2", "3", "R$ 0,21")),
        # without accents the same text goes transliterated to GSM-7: one segment
        ("ç" * 71, False, ("71", "GSM-7", "1", "R$ 0,07")),
    ],
    ids=["gsm-160", "gsm-161", "ext-160", "ext-161", "ucs-70", "ucs-71", "ucs-135", "plain"],
)
def test_the_preview_counts_the_segments_of_what_is_sent(http, text, accents, expected):
    configuration.set_messaging(TENANT, sms_accents=accents)
    token, jar = signed_in(http)
    answer = preview(http, text, jar, token)
    assert answer.status_code == 200
    assert measures(answer) == expected


def test_the_cost_per_message_follows_the_tenants_segment_price(http):
    configuration.set_messaging(TENANT, sms_segment_cost=9)
    token, jar = signed_in(http)
    answer = preview(http, "a" * 161, jar, token)
    assert measures(answer)[3] == "R$ 0,18"
    assert "<dt>Preço por segmento</dt><dd>R$ 0,09</dd>" in text_of(answer)


def test_reset_brings_the_default_back_and_is_audited(http):
    tenant_templates.set_template(TENANT, "reminder", "sms", text=NEW_TEXT)
    token, jar = signed_in(http)
    answer = post(http, "/painel/textos/padrao", jar, {"csrf": token, **REMINDER_SMS})
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{EDIT}?tipo=reminder&canal=sms&aviso=padrao"
    assert custom() == []
    assert details()[0] == "Texto padrão restaurado: lembrete por SMS"


def test_the_sending_form_sets_what_the_cli_sets(http, capsys):
    token, jar = signed_in(http)
    answer = post(
        http, "/painel/textos/envio", jar, {"csrf": token, **SENDING, "sms_accents": "sim"}
    )
    assert answer.status_code == 303
    set_here = configuration.show_messaging(TENANT)
    cli = "--channels email,sms --send-hours 8-21 --job-hour 9 --reminder-day 10"
    cli += " --expiry-warning-days 20 --sms-accents"
    assert main(["messaging", "set", "--tenant", TENANT, *cli.split()]) == 0
    capsys.readouterr()
    assert set_here == configuration.show_messaging(TENANT)
    assert set_here["channels"] == ["email", "sms"]
    assert set_here["sms_accents"] is True
    assert details()[0] == "Envio das mensagens alterado"
    page = text_of(http.get(f"{LIST}?aviso=envio", headers={"cookie": jar}))
    assert "Configurações de envio salvas." in page
    assert 'name="job_hour" value="9"' in page


@pytest.mark.parametrize(
    ("changes", "field", "cli"),
    [
        ({"canal.sms": "", "canal.email": ""}, "channels", "--channels=fax"),
        ({"send_from_hour": "21", "send_until_hour": "8"}, "send_hours", "--send-hours=21-8"),
        ({"job_hour": "22"}, "job_hour", "--job-hour=22"),
        ({"reminder_day": "29"}, "reminder_day", "--reminder-day=29"),
        ({"reminder_day": "dez"}, "reminder_day", "--reminder-day=0"),
        ({"expiry_warning_days": "0"}, "expiry_warning_days", "--expiry-warning-days=0"),
    ],
    ids=["channels", "hours", "job-hour", "reminder-day", "not-a-number", "warning"],
)
def test_a_refused_setting_shows_the_clis_message_by_its_field_and_writes_nothing(
    http, capsys, changes, field, cli
):
    assert main(["messaging", "set", "--tenant", TENANT, cli]) == 1
    message = capsys.readouterr().err.removeprefix("Erro: ").removesuffix("\n")
    form = {**SENDING, **changes}
    token, jar = signed_in(http)
    before, logged = configuration.show_messaging(TENANT), details()
    answer = post(http, "/painel/textos/envio", jar, {"csrf": token, **form})
    text = text_of(answer)
    assert answer.status_code == 400
    assert f'id="{field}-erro">{message}</span>' in text
    assert f'name="reminder_day" value="{form["reminder_day"]}"' in text  # re-filled
    assert configuration.show_messaging(TENANT) == before
    assert details() == logged


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (EDIT, {**REMINDER_SMS, "text": NEW_TEXT}),
        ("/painel/textos/padrao", REMINDER_SMS),
        ("/painel/textos/envio", SENDING),
    ],
    ids=["save", "reset", "sending"],
)
def test_refused_visitors_write_nothing(http, path, fields):
    tenant_templates.set_template(TENANT, "reminder", "sms", text="Oi {{ nome }}")
    token, jar = signed_in(http)
    manager_token, manager_jar = signed_in(http, "loja")
    before = (saved(), configuration.show_messaging(TENANT), details())
    answers = [
        post(http, path, jar, fields),
        post(http, path, jar, {**fields, "csrf": token}, origin="https://outro.site"),
        post(http, path, manager_jar, {**fields, "csrf": manager_token}),
        post(http, path, people.sign_in("outra_rede").cookie(), fields),
    ]
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert (saved(), configuration.show_messaging(TENANT), details()) == before
    manager = http.get(LIST, headers={"cookie": people.sign_in("loja").cookie()})
    assert manager.status_code == 403
