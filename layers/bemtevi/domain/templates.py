"""Message templates per tenant, kind and channel, rendered in Jinja2's sandbox with
Brazilian money and dates (Babel). Variables: nome, pontos, valor, data_expiracao, link,
loja, rede. A template is checked when it is set: it must render with sample values and
use no other variable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bemtevi.domain.money import brl
from bemtevi.errors import InvalidInput

KINDS = ("welcome", "reminder", "expiry")
CHANNELS = ("sms", "email", "whatsapp")
VARIABLES = ("nome", "pontos", "valor", "data_expiracao", "link", "loja", "rede")


@dataclass(frozen=True)
class Template:
    """For SMS and e-mail, `text` (and `subject`, `html` for e-mail); for WhatsApp, the
    approved template's name and the variables that fill its parameters, in order."""

    kind: str
    channel: str
    text: str = ""
    subject: str = ""
    html: str = ""
    whatsapp_template: str = ""
    parameters: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Context:
    nome: str
    pontos: int
    valor: int
    data_expiracao: date | None
    link: str
    loja: str
    rede: str

    def as_variables(self) -> dict[str, str]:
        from babel.dates import format_date

        return {
            "nome": self.nome.split()[0] if self.nome else "cliente",
            "pontos": f"{self.pontos:,}".replace(",", "."),
            "valor": brl(self.valor),
            "data_expiracao": format_date(self.data_expiracao, "dd/MM/yyyy", locale="pt_BR")
            if self.data_expiracao
            else "",
            "link": self.link,
            "loja": self.loja,
            "rede": self.rede,
        }


SAMPLE = Context(
    "Maria da Silva",
    1250,
    2500,
    date(2026, 12, 15),
    "https://bemte.vi/l/abc",
    "Loja Centro",
    "Rede Demo",
)

_SMS = {
    "welcome": "{{ rede }}: {{ nome }}, você ganhou {{ pontos }} pontos! Veja e troque: {{ link }}",
    "reminder": (
        "{{ rede }}: {{ nome }}, você tem {{ pontos }} pontos, que valem {{ valor }}. "
        "Troque na sua próxima compra: {{ link }}"
    ),
    "expiry": (
        "{{ rede }}: {{ nome }}, {{ pontos }} pontos vencem em {{ data_expiracao }}. "
        "Use antes: {{ link }}"
    ),
}
_SUBJECTS = {
    "welcome": "Bem-vindo(a) ao programa de pontos da {{ rede }}",
    "reminder": "{{ nome }}, seus {{ pontos }} pontos valem {{ valor }}",
    "expiry": "Seus pontos vencem em {{ data_expiracao }}",
}
_HTML = (
    "<p>Olá, {{ nome }}!</p><p>{{ texto }}</p>"
    '<p><a href="{{ link }}">Ver meus pontos</a></p><p>{{ rede }}</p>'
)
_EMAIL_TEXT = {
    "welcome": (
        "Você ganhou {{ pontos }} pontos na {{ loja }}. "
        "A cada compra, mais pontos para trocar por descontos."
    ),
    "reminder": (
        "Você tem {{ pontos }} pontos, que já valem {{ valor }} na sua próxima compra "
        "em qualquer loja da {{ rede }}."
    ),
    "expiry": "{{ pontos }} dos seus pontos vencem em {{ data_expiracao }}. Use antes de perder.",
}


def default_template(kind: str, channel: str) -> Template:
    if channel == "sms":
        return Template(kind, channel, text=_SMS[kind])
    if channel == "email":
        text = _EMAIL_TEXT[kind]
        return Template(
            kind,
            channel,
            subject=_SUBJECTS[kind],
            text="Olá, {{ nome }}! " + text + " Veja seus pontos: {{ link }}",
            html=_HTML.replace("{{ texto }}", text),
        )
    return Template(
        kind, channel, whatsapp_template=f"bemtevi_{kind}", parameters=("nome", "pontos", "link")
    )


@dataclass(frozen=True)
class Rendered:
    text: str
    subject: str = ""
    html: str = ""
    template: str = ""
    parameters: tuple[str, ...] = ()


def render(template: Template, context: Context) -> Rendered:
    variables = context.as_variables()
    if template.channel == "whatsapp":
        return Rendered(
            text="",
            template=template.whatsapp_template,
            parameters=tuple(variables[name] for name in template.parameters),
        )
    return Rendered(
        text=_render(template.text, variables, escape=False),
        subject=_render(template.subject, variables, escape=False),
        html=_render(template.html, variables, escape=True),
    )


def checked(template: Template) -> Template:
    """The template, if it renders with sample values and uses only known variables."""
    if template.kind not in KINDS:
        raise InvalidInput("invalid_kind", f"Tipo de mensagem: {', '.join(KINDS)}.", "kind")
    if template.channel not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Canal: {', '.join(CHANNELS)}.", "channel")
    if template.channel == "whatsapp":
        unknown = [name for name in template.parameters if name not in VARIABLES]
        if not template.whatsapp_template or unknown:
            raise InvalidInput(
                "invalid_template",
                f"Informe o nome do modelo aprovado e parâmetros entre: {', '.join(VARIABLES)}.",
                "parameters",
            )
        return template
    if not template.text.strip():
        raise InvalidInput("invalid_template", "O texto da mensagem está vazio.", "text")
    for name in ("text", "subject", "html"):
        try:
            _render(getattr(template, name), SAMPLE.as_variables(), escape=name == "html")
        except Exception as error:  # any template error is the author's to fix
            raise InvalidInput("invalid_template", f"Modelo inválido: {error}.", name) from None
    return template


def _render(source: str, variables: dict[str, str], escape: bool) -> str:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=escape)
    return environment.from_string(source).render(**variables)
