"""/painel/textos (network admins): the automatic messages' texts per kind and channel
(the tenant's own or the default), and a page per kind and channel that edits one through
the functions `bemtevi template set` calls, so a text is refused with the same message.
"Pré-visualizar" renders the unsaved text for a sample customer with the real renderer
(nothing written); "Salvar" saves it; "Voltar ao texto padrão" removes the tenant's own.
The page's other form (functions.dashboard.texts_sending) sets how messages go."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from bemtevi import settings
from bemtevi.domain.labels import channel as channel_label
from bemtevi.domain.labels import kind as kind_label
from bemtevi.domain.message_kinds import MessageKind
from bemtevi.domain.money import brl
from bemtevi.domain.staff import Manager
from bemtevi.domain.templates import CHANNELS, KINDS, SAMPLE, VARIABLES, Template
from bemtevi.errors import BemteviError, NotFound
from functions.dashboard import session
from functions.dashboard.common import problem
from functions.dashboard.forms import FORM_FIELD, Errors, form_page, submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import REFUSED_FORM, redirect
from functions.messaging import configuration, tenant_templates
from functions.portal.pages import Page

HREF = "/painel/textos"
EDIT = "/painel/textos/editar"
PREVIEW = "previa"
FIELDS = ("text", "subject", "html", "whatsapp_template", "parameters")
NOTICES = {
    "salvo": "Texto salvo.",
    "padrao": "O texto padrão voltou a valer.",
    "envio": "Configurações de envio salvas.",
}


def texts_page(
    manager: Manager,
    visit: Visit,
    status: int = 200,
    errors: Errors | None = None,
    sending: dict[str, str] | None = None,
) -> Page:
    """The list of texts, and the sending form (`sending`: its values as posted)."""
    rows = [
        {
            "tipo": kind_label(view["kind"]).capitalize(),
            "canal": channel_label(view["channel"]),
            "personalizado": view["custom"],
            "href": _edit_href(view["kind"], view["channel"]),
        }
        for view in tenant_templates.list_templates(manager.tenant_id)
    ]
    current = configuration.show_messaging(manager.tenant_id)
    return form_page(
        manager,
        visit,
        HREF,
        "painel/textos.html",
        "Textos das mensagens",
        status,
        textos=rows,
        envio=sending if sending is not None else sending_values(current),
        canais=[(code, channel_label(code)) for code in CHANNELS],
        whatsapp_configurado=bool(current["whatsapp_phone_number_id"]),
        erros=errors or {},
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
        cache_segundos=int(settings.config_cache_seconds()),
    )


def sending_values(current: dict) -> dict[str, str]:
    """The sending form's fields as the saved settings fill them."""
    ranks = {channel: str(rank) for rank, channel in enumerate(current["channels"], 1)}
    return {
        **{f"canal.{channel}": ranks.get(channel, "") for channel in CHANNELS},
        **{
            name: str(current[name])
            for name in (
                "send_from_hour",
                "send_until_hour",
                "job_hour",
                "reminder_day",
                "expiry_warning_days",
            )
        },
        "sms_accents": "sim" if current["sms_accents"] else "",
    }


def edit_page(
    manager: Manager, visit: Visit, status: int = 200, errors: Errors | None = None
) -> Page:
    """One kind and channel (`?tipo=&canal=`, the first ones when none is given): the
    saved text and its preview, or, after "Pré-visualizar" or a refusal, what was posted."""
    source = visit.form if visit.form else visit.query
    kind = source.get("kind") or source.get("tipo") or KINDS[0]
    channel = source.get("channel") or source.get("canal") or CHANNELS[0]
    if kind not in KINDS or channel not in CHANNELS:
        missing = NotFound("template_not_found", "Não há esta mensagem.", "tipo")
        return problem(manager, HREF, missing)
    saved = next(
        view
        for view in tenant_templates.list_templates(manager.tenant_id)
        if (view["kind"], view["channel"]) == (kind, channel)
    )
    posted = bool(visit.form)
    values = _posted(visit) if posted else _saved_values(saved)
    errors = dict(errors or {})
    preview = None
    if not errors:
        try:
            preview = _preview_view(
                tenant_templates.preview_template(
                    manager.tenant_id, _template(kind, channel, values)
                )
            )
        except BemteviError as error:
            if error.status >= 500:
                raise
            errors, status = {error.field or FORM_FIELD: error.message}, error.status
    return form_page(
        manager,
        visit,
        HREF,
        "painel/texto.html",
        f"{kind_label(kind).capitalize()} por {channel_label(channel)}",
        status,
        tipo=kind,
        canal=channel,
        personalizado=saved["custom"],
        variaveis=VARIABLES[kind],
        valores=values,
        previa=preview,
        exemplo=_sample_line(),
        erros=errors,
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
    )


def post_text(manager: Manager, visit: Visit) -> Page:
    """ "Pré-visualizar" (nothing written, nothing audited) or "Salvar"."""
    if visit.form.get("acao") == PREVIEW:
        if not session.form_is_genuine(visit):
            return edit_page(manager, visit, 403, {FORM_FIELD: REFUSED_FORM})
        return edit_page(manager, visit)
    kind, channel = visit.form.get("kind", ""), visit.form.get("channel", "")
    values = _posted(visit)
    return submitted(
        manager,
        visit,
        lambda: tenant_templates.set_template(
            manager.tenant_id, **vars(_template(kind, channel, values))
        ),
        f"Texto alterado: {kind_label(kind)} por {channel_label(channel)}",
        lambda status, errors: edit_page(manager, visit, status, errors),
        lambda _: redirect(_edit_href(kind, channel, "salvo")),
    )


def reset_text(manager: Manager, visit: Visit) -> Page:
    kind, channel = visit.form.get("kind", ""), visit.form.get("channel", "")
    return submitted(
        manager,
        visit,
        lambda: tenant_templates.reset_template(manager.tenant_id, kind, channel),
        f"Texto padrão restaurado: {kind_label(kind)} por {channel_label(channel)}",
        lambda status, errors: edit_page(manager, _viewing(visit, kind, channel), status, errors),
        lambda _: redirect(_edit_href(kind, channel, "padrao")),
    )


def _viewing(visit: Visit, kind: str, channel: str) -> Visit:
    """The visit as if it had opened the kind and channel's page (its cookies kept)."""
    return replace(visit, form={}, query={"tipo": kind, "canal": channel})


def _edit_href(kind: str, channel: str, notice: str = "") -> str:
    query = {"tipo": kind, "canal": channel, **({"aviso": notice} if notice else {})}
    return f"{EDIT}?{urlencode(query)}"


def _posted(visit: Visit) -> dict[str, str]:
    return {name: visit.form.get(name, "") for name in FIELDS}


def _saved_values(view: dict) -> dict[str, str]:
    return {**{name: view[name] for name in FIELDS[:4]}, "parameters": ",".join(view["parameters"])}


def _template(kind: str, channel: str, values: dict[str, str]) -> Template:
    """The form's fields as `bemtevi template set` takes its options."""
    parameters = tuple(name.strip() for name in values["parameters"].split(",") if name.strip())
    return Template(
        kind,
        channel,
        values["text"].replace("\r\n", "\n"),
        values["subject"],
        values["html"].replace("\r\n", "\n"),
        values["whatsapp_template"].strip(),
        parameters,
    )


def _preview_view(preview: dict) -> dict:
    return {
        **preview,
        "custo": brl(preview["cost"]),
        "preco_segmento": brl(preview["segment_cost"]),
        "sms": preview["encoding"] is not None,
    }


def _sample_line() -> str:
    """Who the sample customer is, as the preview says."""
    shown = SAMPLE.as_variables(MessageKind.REMINDER)
    return (
        f"{SAMPLE.nome}, saldo de {shown['saldo']} pontos que valem {shown['valor']}, "
        f"pontos vencendo em {shown['data_expiracao']}"
    )
