"""Inbound SMS, from the SNS topic that two-way SMS publishes to: SAIR, PARAR, PARE,
STOP or CANCELAR opt the number out of SMS for the tenant that owns the number written
to; every reply is kept for a later conversation view."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from bemtevi.domain.customers import normalized_phone
from bemtevi.domain.messaging import Reply, is_opt_out
from bemtevi.errors import InvalidInput, NotFound
from bemtevi.observability import logger
from bemtevi.store import customers, messages, network, privacy
from functions.common import tenancy
from functions.messaging.sending import save_opt_outs


def receive_sms(notification: dict, now: datetime | None = None) -> str:
    """Returns what became of the reply: opted_out, kept, repeated or ignored."""
    now = now or datetime.now(UTC)
    tenant_id = network.tenant_of_number(str(notification.get("destinationNumber", "")))
    if tenant_id is None:
        logger.warning("inbound SMS to a number no tenant owns")
        return "ignored"
    try:
        phone = normalized_phone(str(notification.get("originationNumber", "")), "from")
    except InvalidInput:
        logger.warning("inbound SMS from an invalid number", extra={"tenant": tenant_id})
        return "ignored"
    tenant = tenancy.tenant(tenant_id)
    who = customers.identity_for(tenant.pepper, None, phone)
    customer = customers.find(tenant_id, who).customer
    text = str(notification.get("messageBody", ""))
    opting_out = is_opt_out(text)
    if opting_out and customer is not None:
        save_opt_outs(tenant_id, customer, {"sms": True}, now)
    elif opting_out and who.phone_hash:
        privacy.suppress(tenant_id, who.phone_hash, now)
    reply_id = str(notification.get("inboundMessageId") or _digest(phone, text, now))
    reply = Reply(
        tenant_id=tenant_id,
        customer_id=customer.customer_id if customer else None,
        text=text,
        received_at=now,
        opted_out=opting_out,
        logged_at=now.isoformat(),
        store_id=customer.last_store if customer else None,
    )
    kept = messages.save_reply(reply, reply_id, who.phone_hash, tenant.today(now).isoformat())
    logger.info("inbound SMS", extra={"tenant": tenant_id, "opt_out": opting_out})
    if not kept:
        return "repeated"
    return "opted_out" if opting_out else "kept"


def inject_sms(tenant_id: str, origination: str, text: str, now: datetime | None = None) -> dict:
    """An inbound SMS to the tenant's number, through the very path of the SNS handler
    (`bemtevi sms receive`, for the local stack and tests)."""
    _, number = network.messaging_rules(tenant_id)
    if not number:
        raise NotFound("sms_number_not_found", "A rede não tem número de SMS.", "tenant")
    notification = {"originationNumber": origination, "destinationNumber": number}
    return {"outcome": receive_sms({**notification, "messageBody": text}, now)}


def _digest(phone: str, text: str, now: datetime) -> str:
    return hashlib.sha256(f"{phone}|{text}|{now.isoformat()}".encode()).hexdigest()[:32]
