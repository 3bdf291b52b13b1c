"""Message templates per tenant, kind and channel, rendered in Jinja2's sandbox with
Brazilian money and dates (Babel). Each kind has its variables (`VARIABLES`): every kind
has nome, saldo, valor, data_expiracao, link, loja and rede; the welcome adds
pontos_ganhos (what the first purchase earned), the expiry warning pontos_a_vencer.
`pontos` is kept for templates written before those existed: the welcome's points
earned, the reminder's balance, the expiry warning's expiring points. A template is
checked when it is set: it must render with sample values and use only its kind's
variables. An SMS goes through `sms_text` (plain spaces; GSM-7 unless the tenant chose
accents): every default SMS fits one 160-character segment with typical values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bemtevi.domain.message_kinds import ChannelName, MessageKind
from bemtevi.domain.money import brl
from bemtevi.domain.sms import sms_text
from bemtevi.errors import InvalidInput

KINDS = tuple(MessageKind)
CHANNELS = tuple(ChannelName)
_COMMON = ("nome", "saldo", "valor", "data_expiracao", "link", "loja", "rede")
VARIABLES: dict[str, tuple[str, ...]] = {
    MessageKind.WELCOME: ("nome", "pontos_ganhos", *_COMMON[1:], "pontos"),
    MessageKind.REMINDER: (*_COMMON, "pontos"),
    MessageKind.EXPIRY: ("nome", "pontos_a_vencer", *_COMMON[1:], "pontos"),
}
CAMPAIGN = "campaign"
"""A campaign's messages: the customer's figures and portal link, no kind of their own."""
CAMPAIGN_VARIABLES = (*_COMMON, "pontos")


def variables_of(kind: str) -> tuple[str, ...]:
    """The variables a kind's template may use (a campaign's: every common one)."""
    return CAMPAIGN_VARIABLES if kind == CAMPAIGN else VARIABLES[kind]


# what `pontos` stands for in each kind (in a campaign, the balance)
_POINTS_ALIAS: dict[str, str] = {
    MessageKind.WELCOME: "pontos_ganhos",
    MessageKind.REMINDER: "saldo",
    MessageKind.EXPIRY: "pontos_a_vencer",
}


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
    """What a message may tell: `saldo` is the balance, `valor` what the points buy now,
    `data_expiracao` the first date points expire (for a warning, the warned date)."""

    nome: str
    saldo: int
    valor: int
    data_expiracao: date | None
    link: str
    loja: str
    rede: str
    pontos_ganhos: int = 0
    pontos_a_vencer: int = 0

    def as_variables(self, kind: str) -> dict[str, str]:
        """The kind's variables, as the customer reads them (only those: a template that
        uses another kind's variable does not render)."""
        from babel.dates import format_date

        every = {
            "nome": self.nome.split()[0] if self.nome else "cliente",
            "saldo": _points(self.saldo),
            "pontos_ganhos": _points(self.pontos_ganhos),
            "pontos_a_vencer": _points(self.pontos_a_vencer),
            "valor": brl(self.valor),
            "data_expiracao": format_date(self.data_expiracao, "dd/MM/yyyy", locale="pt_BR")
            if self.data_expiracao
            else "",
            "link": self.link,
            "loja": self.loja,
            "rede": self.rede,
        }
        every["pontos"] = every[_POINTS_ALIAS.get(kind, "saldo")]
        return {name: every[name] for name in variables_of(kind)}


def _points(points: int) -> str:
    return f"{points:,}".replace(",", ".")


SAMPLE = Context(
    "Maria da Silva",
    1250,
    2500,
    date(2026, 12, 15),
    "https://bemte.vi/l/abc",
    "Loja Centro",
    "Rede Demo",
    pontos_ganhos=300,
    pontos_a_vencer=400,
)

_SMS: dict[str, str] = {
    MessageKind.WELCOME: (
        "{{ rede }}: {{ nome }}, você ganhou {{ pontos_ganhos }} pontos. "
        "Saldo: {{ saldo }} pontos. Veja e troque: {{ link }}"
    ),
    MessageKind.REMINDER: (
        "{{ rede }}: {{ nome }}, você tem {{ saldo }} pontos, que valem {{ valor }}. "
        "Use na próxima compra: {{ link }}"
    ),
    MessageKind.EXPIRY: (
        "{{ rede }}: {{ nome }}, {{ pontos_a_vencer }} pontos vencem em {{ data_expiracao }}. "
        "Use antes: {{ link }}"
    ),
}
_SUBJECTS: dict[str, str] = {
    MessageKind.WELCOME: "Bem-vindo(a) ao programa de pontos da {{ rede }}",
    MessageKind.REMINDER: "{{ nome }}, seus {{ saldo }} pontos valem {{ valor }}",
    MessageKind.EXPIRY: "Seus pontos vencem em {{ data_expiracao }}",
}
_HTML = (
    "<p>Olá, {{ nome }}!</p><p>{{ texto }}</p>"
    '<p><a href="{{ link }}">Ver meus pontos</a></p><p>{{ rede }}</p>'
)
_EMAIL_TEXT: dict[str, str] = {
    MessageKind.WELCOME: (
        "Você ganhou {{ pontos_ganhos }} pontos na {{ loja }} e seu saldo é de {{ saldo }} "
        "pontos. A cada compra, mais pontos para trocar por descontos."
    ),
    MessageKind.REMINDER: (
        "Você tem {{ saldo }} pontos, que já valem {{ valor }} na sua próxima compra "
        "em qualquer loja da {{ rede }}."
    ),
    MessageKind.EXPIRY: (
        "{{ pontos_a_vencer }} dos seus pontos vencem em {{ data_expiracao }}. Use antes de perder."
    ),
}
# the approved WhatsApp templates take three parameters: name, the kind's points, link


def default_template(kind: str, channel: str) -> Template:
    if channel == ChannelName.SMS:
        return Template(kind, channel, text=_SMS[kind])
    if channel == ChannelName.EMAIL:
        text = _EMAIL_TEXT[kind]
        return Template(
            kind,
            channel,
            subject=_SUBJECTS[kind],
            text="Olá, {{ nome }}! " + text + " Veja seus pontos: {{ link }}",
            html=_HTML.replace("{{ texto }}", text),
        )
    return Template(
        kind,
        channel,
        whatsapp_template=f"bemtevi_{kind}",
        parameters=("nome", _POINTS_ALIAS[kind], "link"),
    )


@dataclass(frozen=True)
class Rendered:
    text: str
    subject: str = ""
    html: str = ""
    template: str = ""
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compiled:
    """A template with its Jinja sources compiled once (the parts its channel renders),
    to render many messages: compiling is most of the cost of a render."""

    template: Template
    text: Any = None
    subject: Any = None
    html: Any = None


def compile_template(template: Template) -> Compiled:
    if template.channel == ChannelName.WHATSAPP:
        return Compiled(template)
    if template.channel == ChannelName.SMS:
        return Compiled(template, text=_compile(template.text, escape=False))
    return Compiled(
        template,
        text=_compile(template.text, escape=False),
        subject=_compile(template.subject, escape=False),
        html=_compile(template.html, escape=True),
    )


def render(template: Template | Compiled, context: Context, sms_accents: bool = False) -> Rendered:
    """`sms_accents`: the tenant's choice to send SMS with accents (UCS-2, 70 characters
    a segment) rather than transliterated to GSM-7 (160). A plain `Template` is compiled
    for this one render."""
    compiled = template if isinstance(template, Compiled) else compile_template(template)
    source = compiled.template
    variables = context.as_variables(source.kind)
    if source.channel == ChannelName.WHATSAPP:
        return Rendered(
            text="",
            template=source.whatsapp_template,
            parameters=tuple(variables[name] for name in source.parameters),
        )
    if source.channel == ChannelName.SMS:
        return Rendered(text=sms_text(compiled.text.render(**variables), sms_accents))
    return Rendered(
        text=compiled.text.render(**variables),
        subject=compiled.subject.render(**variables),
        html=compiled.html.render(**variables),
    )


def checked(template: Template) -> Template:
    """The template, if it renders with sample values and uses only known variables."""
    check_kind_and_channel(template.kind, template.channel)
    known = VARIABLES[template.kind]
    if template.channel == ChannelName.WHATSAPP:
        unknown = [name for name in template.parameters if name not in known]
        if not template.whatsapp_template or unknown:
            raise InvalidInput(
                "invalid_template",
                f"Informe o nome do modelo aprovado e parâmetros entre: {', '.join(known)}.",
                "parameters",
            )
        return template
    if not template.text.strip():
        raise InvalidInput("invalid_template", "O texto da mensagem está vazio.", "text")
    for name in ("text", "subject", "html"):
        try:
            _render(getattr(template, name), SAMPLE.as_variables(template.kind), name == "html")
        except Exception as error:  # any template error is the author's to fix
            raise InvalidInput(
                "invalid_template",
                f"{_what_is_wrong(error)} Variáveis desta mensagem: {', '.join(known)}.",
                name,
            ) from None
    return template


def _what_is_wrong(error: Exception) -> str:
    """The template engine's error, said in Portuguese (its own text is English)."""
    unknown = re.search(r"'(\w+)' is undefined", str(error))
    if unknown:
        return f"Modelo inválido: a variável {unknown.group(1)} não existe nesta mensagem."
    line = getattr(error, "lineno", None)
    where = f" na linha {line}" if line else ""
    return f"Modelo inválido{where}: confira as chaves {{{{ }}}} e {{% %}}."


def check_kind_and_channel(kind: str, channel: str) -> None:
    if kind not in KINDS:
        raise InvalidInput("invalid_kind", f"Tipo de mensagem: {', '.join(KINDS)}.", "kind")
    if channel not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Canal: {', '.join(CHANNELS)}.", "channel")


def _render(source: str, variables: dict[str, str], escape: bool) -> str:
    rendered: str = _compile(source, escape).render(**variables)
    return rendered


_ENVIRONMENTS: dict[bool, Any] = {}


def _compile(source: str, escape: bool) -> Any:
    """Compiled in Jinja's sandbox, one environment per escaping (made on first use)."""
    environment = _ENVIRONMENTS.get(escape)
    if environment is None:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=escape)
        _ENVIRONMENTS[escape] = environment
    return environment.from_string(source)


_CAMPAIGN_WHATSAPP_PARAMETERS = ("nome", "saldo", "link")


def campaign_template(channel: str, text: str, title: str) -> Template:
    """A campaign's message on one channel, checked: `text` is Jinja with the customer's
    variables (for WhatsApp, the approved template's name, filled with name, balance and
    link); an e-mail's subject is the network's name and the campaign's `title`, its
    HTML the text with the portal link."""
    field_name = f"messages.{channel}"
    if channel not in CHANNELS:
        raise InvalidInput("invalid_channel", f"Canal: {', '.join(CHANNELS)}.", field_name)
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("invalid_template", "O texto da mensagem está vazio.", field_name)
    if channel == ChannelName.WHATSAPP:
        return Template(
            CAMPAIGN,
            channel,
            whatsapp_template=text.strip(),
            parameters=_CAMPAIGN_WHATSAPP_PARAMETERS,
        )
    plain_title = re.sub(r"[{}%#]", "", title).strip()
    template = Template(
        CAMPAIGN,
        channel,
        text=text,
        subject="{{ rede }}: " + plain_title if channel == ChannelName.EMAIL else "",
        html=(
            "<p>" + text + '</p><p><a href="{{ link }}">Ver meus pontos</a></p><p>{{ rede }}</p>'
            if channel == ChannelName.EMAIL
            else ""
        ),
    )
    try:
        for name in ("text", "subject", "html"):
            _render(getattr(template, name), SAMPLE.as_variables(CAMPAIGN), name == "html")
    except Exception as error:  # any template error is the author's to fix
        raise InvalidInput(
            "invalid_template",
            f"{_what_is_wrong(error)} Variáveis da campanha: {', '.join(CAMPAIGN_VARIABLES)}.",
            field_name,
        ) from None
    return template
