from datetime import date

import pytest

from bemtevi.domain.sms import sms_size
from bemtevi.domain.templates import (
    CHANNELS,
    KINDS,
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
)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_default_is_valid(kind, channel):
    assert checked(default_template(kind, channel))


def test_money_and_dates_read_the_brazilian_way():
    rendered = render(default_template("reminder", "sms"), MARIA)
    assert "Maria, você tem 1.250 pontos, que valem R$\xa01.234,56" in rendered.text
    expiry = render(default_template("expiry", "sms"), MARIA)
    assert "vencem em 15/12/2026" in expiry.text
    # accents make an SMS UCS-2 (70 characters a segment); the expiry default has none
    assert (sms_size(rendered.text).encoding, sms_size(expiry.text).encoding) == (
        "UCS-2",
        "GSM-7",
    )


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
        ("Maria", "1.250", "https://bemte.vi/l/x1"),
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
