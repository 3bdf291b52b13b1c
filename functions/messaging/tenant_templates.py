"""`bemtevi template set|list`: a tenant's message texts per kind and channel; where a
tenant has none, the Portuguese defaults of bemtevi.domain.templates. Each template
shows the variables its kind may use."""

from __future__ import annotations

from datetime import UTC, datetime

from bemtevi import settings
from bemtevi.domain.templates import (
    CHANNELS,
    KINDS,
    VARIABLES,
    Compiled,
    Template,
    checked,
    compile_template,
    default_template,
)
from bemtevi.store import network
from bemtevi.ttl_cache import TtlCache

_COMPILED: TtlCache[Compiled] = TtlCache(settings.config_cache_seconds)


def set_template(
    tenant_id: str,
    kind: str,
    channel: str,
    text: str = "",
    subject: str = "",
    html: str = "",
    whatsapp_template: str = "",
    parameters: tuple[str, ...] = (),
) -> dict:
    template = checked(
        Template(kind, channel, text, subject, html, whatsapp_template, tuple(parameters))
    )
    network.save_template(tenant_id, template, datetime.now(UTC))
    return template_view(template, custom=True)


def list_templates(tenant_id: str) -> list[dict]:
    network.get_tenant(tenant_id)
    custom = {(t.kind, t.channel): t for t in network.templates(tenant_id)}
    return [
        template_view(
            custom.get((kind, channel)) or default_template(kind, channel),
            custom=(kind, channel) in custom,
        )
        for kind in KINDS
        for channel in CHANNELS
    ]


def template_for(templates: list[Template], kind: str, channel: str) -> Template:
    found = {(t.kind, t.channel): t for t in templates}
    return found.get((kind, channel)) or default_template(kind, channel)


def compiled_for(tenant_id: str, template: Template) -> Compiled:
    """The template compiled once per tenant, kind and channel, and again when the
    tenant's template changed (`bemtevi template set`) or the cache time passed."""
    key = (tenant_id, template.kind, template.channel)
    found = _COMPILED.get_or_load(key, lambda: compile_template(template))
    if found.template != template:
        _COMPILED.forget(key)
        found = _COMPILED.get_or_load(key, lambda: compile_template(template))
    return found


def template_view(template: Template, custom: bool) -> dict:
    return {
        "kind": template.kind,
        "channel": template.channel,
        "custom": custom,
        "text": template.text,
        "subject": template.subject,
        "html": template.html,
        "whatsapp_template": template.whatsapp_template,
        "parameters": list(template.parameters),
        "variables": list(VARIABLES[template.kind]),
    }
