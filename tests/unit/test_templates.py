from datetime import date

import pytest

from bemtevi.domain.sms import sms_size
from bemtevi.domain.templates import (
    CHANNELS,
    KINDS,
    VARIABLES,
    Context,
    Template,
    checked,
    default_template,
    render,
)
from bemtevi.errors import InvalidInput

MARIA = Context(
    "Maria da Silva",
    1250,
    123456,
    date(2026, 12, 15),
    "https://bemte.vi/l/x1",
    "Loja Centro",
    "Rede Demo",
    pontos_ganhos=300,
)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_default_is_valid(kind, channel):
    assert checked(default_template(kind, channel))


def test_money_and_dates_read_the_brazilian_way():
    rendered = render(default_template("reminder", "email"), MARIA)
    assert "Você tem 1.250 pontos, que já valem R$\xa01.234,56" in rendered.text
    expiry = render(default_template("expiry", "sms"), MARIA)
    assert "vencem em 15/12/2026" in expiry.text


# typical values: a 20-character first name (and network name), five-digit points, a
# date, R$ 1.234,56, and the longest portal link a stage gives (dev: 39 characters)
TYPICAL = Context(
    "Maximilianna-Antonia da Conceição",
    12345,
    123456,
    date(2026, 12, 15),
    "https://dev.bemtevi.com.br/l/Ab3dE6gH9k",
    "Loja Centro",
    "Rede Bebê Feliz Kids",
    pontos_ganhos=12345,
    pontos_a_vencer=12345,
)


@pytest.mark.parametrize("kind", KINDS)
def test_every_default_sms_is_one_gsm7_segment_with_typical_values(kind):
    assert len(TYPICAL.as_variables(kind)["nome"]) == 20
    text = render(default_template(kind, "sms"), TYPICAL).text
    assert "12.345" in text
    assert TYPICAL.link in text
    assert "\xa0" not in text
    assert (sms_size(text).encoding, sms_size(text).segments) == ("GSM-7", 1)


def test_money_in_an_sms_has_a_plain_space_and_no_accents_by_default():
    text = render(default_template("reminder", "sms"), MARIA).text
    assert text == (
        "Rede Demo: Maria, voce tem 1.250 pontos, que valem R$ 1.234,56. "
        "Use na proxima compra: https://bemte.vi/l/x1"
    )
    assert sms_size(text) == sms_size(text.encode("ascii").decode())


def test_a_tenant_may_keep_the_accents_of_its_sms_at_the_cost_of_ucs2():
    text = render(default_template("reminder", "sms"), MARIA, sms_accents=True).text
    assert "Maria, você tem 1.250 pontos, que valem R$ 1.234,56. Use na próxima" in text
    assert sms_size(text).encoding == "UCS-2"


def test_a_custom_sms_is_transliterated_to_gsm7_whatever_it_holds():
    template = Template("welcome", "sms", text="Olá {{ nome }}! Ação “já” – até 12/12 … ✨")
    text = render(template, Context("Conceição Ñáñez", 1, 0, None, "l", "Loja", "Rede")).text
    assert text == 'Ola Conceicao! Acao "ja" - ate 12/12 ... ?'
    assert sms_size(text).encoding == "GSM-7"


def test_the_welcome_tells_the_points_earned_and_the_balance_apart():
    context = Context("Ana Lima", 500, 0, None, "https://bemte.vi/l/x", "Loja", "Rede",
                      pontos_ganhos=300)  # fmt: skip
    sms = render(default_template("welcome", "sms"), context).text
    email = render(default_template("welcome", "email"), context).text
    whatsapp = render(default_template("welcome", "whatsapp"), context).parameters
    assert "voce ganhou 300 pontos. Saldo: 500 pontos." in sms
    assert "Você ganhou 300 pontos na Loja e seu saldo é de 500 pontos." in email
    assert whatsapp == ("Ana", "300", "https://bemte.vi/l/x")
    # `pontos`, kept for templates written before, is the kind's own figure
    legacy = Template("welcome", "sms", text="ganhou {{ pontos }}")
    assert render(legacy, context).text == "ganhou 300"


@pytest.mark.parametrize(
    ("kind", "variable", "known"),
    [
        ("welcome", "pontos_ganhos", True),
        ("reminder", "pontos_ganhos", False),
        ("expiry", "pontos_ganhos", False),
        ("expiry", "pontos_a_vencer", True),
        ("welcome", "pontos_a_vencer", False),
        ("reminder", "saldo", True),
    ],
)
def test_each_kind_takes_only_its_own_variables(kind, variable, known):
    assert (variable in VARIABLES[kind]) is known
    template = Template(kind, "sms", text=f"{{{{ {variable} }}}}")
    if known:
        assert checked(template)
        return
    with pytest.raises(InvalidInput) as refused:
        checked(template)
    assert "pontos_ganhos" in refused.value.message or "saldo" in refused.value.message


def test_email_has_subject_text_and_escaped_html():
    evil = Context("<b>Mal</b>", 10, 0, None, "https://bemte.vi/l/x", "Loja", "Rede & Cia")
    rendered = render(default_template("welcome", "email"), evil)
    assert rendered.subject == "Bem-vindo(a) ao programa de pontos da Rede & Cia"
    assert "&lt;b&gt;Mal&lt;/b&gt;" in rendered.html
    assert "Rede &amp; Cia" in rendered.html
    assert "<b>Mal</b>" in rendered.text


def test_whatsapp_fills_the_approved_template_parameters():
    rendered = render(default_template("welcome", "whatsapp"), MARIA)
    assert (rendered.template, rendered.parameters) == (
        "bemtevi_welcome",
        ("Maria", "300", "https://bemte.vi/l/x1"),
    )


@pytest.mark.parametrize(
    ("template", "field"),
    [
        (Template("reminder", "sms", text="Oi {{ cpf }}"), "text"),
        (Template("reminder", "sms", text="{{ ''.__class__.__mro__ }}"), "text"),
        (Template("reminder", "sms", text="{% for %}"), "text"),
        (Template("reminder", "sms", text="  "), "text"),
        (Template("aniversario", "sms", text="Oi"), "kind"),
        (Template("reminder", "fax", text="Oi"), "channel"),
        (
            Template("reminder", "whatsapp", whatsapp_template="t", parameters=("cpf",)),
            "parameters",
        ),
    ],
)
def test_bad_templates_are_refused_when_set(template, field):
    with pytest.raises(InvalidInput) as refused:
        checked(template)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Oi {{ nome }", "Modelo inválido na linha 1: confira as chaves {{ }} e {% %}."),
        ("Oi\n{% if nome %}", "Modelo inválido na linha 2: confira as chaves {{ }} e {% %}."),
        ("Oi {{ fulano }}", "Modelo inválido: a variável fulano não existe nesta mensagem."),
    ],
)
def test_a_template_that_does_not_render_is_explained_in_portuguese(text: str, message: str):
    """The engine's own error text is English; the manager reads it on the dashboard."""
    with pytest.raises(InvalidInput) as refused:
        checked(Template("reminder", "sms", text))
    assert refused.value.message.startswith(message + " Variáveis desta mensagem: nome, ")
    assert refused.value.field == "text"
