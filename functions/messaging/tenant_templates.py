"""`bemtevi template set|list`: a tenant's message texts per kind and channel; where a
tenant has none, the Portuguese defaults of bemtevi.domain.templates. Each template
shows the variables its kind may use. `preview_template` renders a text, saved or not, for
a sample customer exactly as the jobs would send it, with its SMS size and cost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bemtevi import settings
from bemtevi.domain.message_kinds import ChannelName
from bemtevi.domain.messaging import cost_of
from bemtevi.domain.sms import sms_size
from bemtevi.domain.templates import (
    CHANNELS,
    KINDS,
    SAMPLE,
    VARIABLES,
    Compiled,
    Context,
    Template,
    check_kind_and_channel,
    checked,
    compile_template,
    default_template,
    render,
)
from bemtevi.security import links
from bemtevi.store import network
from bemtevi.ttl_cache import TtlCache
from functions.common import tenancy

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


def reset_template(tenant_id: str, kind: str, channel: str) -> dict:
    """The tenant's own text removed: the Portuguese default is sent again."""
    check_kind_and_channel(kind, channel)
    network.get_tenant(tenant_id)
    network.delete_template(tenant_id, kind, channel)
    return template_view(default_template(kind, channel), custom=False)


def preview_template(tenant_id: str, template: Template) -> dict:
    """`template` (checked as `set_template` checks it; nothing is written) rendered for
    the sample customer as it would go out: an SMS after `sms_text` with the tenant's
    choice of accents, so its character set and segments are those the provider
    counts; the cost per message is the tenant's price for the channel."""
    template = checked(template)
    rules, _ = network.messaging_rules(tenant_id)
    rendered = render(template, sample_context(tenant_id), rules.sms_accents)
    size = sms_size(rendered.text) if template.channel == ChannelName.SMS else None
    return {
        "text": rendered.text,
        "subject": rendered.subject,
        "html": rendered.html,
        "whatsapp_template": rendered.template,
        "parameters": list(rendered.parameters),
        "characters": len(rendered.text),
        "encoding": size.encoding if size else None,
        "segments": size.segments if size else None,
        "segment_cost": rules.sms_segment_cost,
        "cost": cost_of(rules, template.channel, size.segments if size else 1),
    }


SAMPLE_LINK_KEY = "dashboard-preview"
"""What the sample's portal code is derived from, as a message's key is for a real one."""


def sample_context(tenant_id: str) -> Context:
    """The fixed sample customer (Maria, her balance, an expiry date) at the tenant's
    first store, with a portal link built as a real message's is (a code that leads
    nowhere: no link item is written for it)."""
    tenant = tenancy.tenant(tenant_id)
    stores = sorted(network.list_stores(tenant_id), key=lambda store: store.name)
    code = links.short_code(tenant.pepper, SAMPLE_LINK_KEY)
    return replace(
        SAMPLE,
        link=f"{settings.public_url()}/l/{code}",
        loja=stores[0].name if stores else SAMPLE.loja,
        rede=tenant.name,
    )


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
