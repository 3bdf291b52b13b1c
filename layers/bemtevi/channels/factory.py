"""The channels a tenant's messages go through, built from its settings."""

from __future__ import annotations

import os
from pathlib import Path

from bemtevi.channels import Channel
from bemtevi.channels.email import SesEmail
from bemtevi.channels.recorded import RecordedWhatsApp
from bemtevi.channels.sms import SnsSms
from bemtevi.channels.whatsapp import WhatsApp
from bemtevi.domain.messaging import MessagingRules


def channels_for(rules: MessagingRules) -> dict[str, Channel]:
    """SMS, e-mail and, where the tenant has a number, WhatsApp. With
    BEMTEVI_WHATSAPP_RECORD set (the local stack), WhatsApp messages go to that file."""
    channels: dict[str, Channel] = {
        "sms": SnsSms(sender_id=rules.sms_sender_id, transactional=True),
        "email": SesEmail(source=rules.email_source),
    }
    recording = os.environ.get("BEMTEVI_WHATSAPP_RECORD")
    if recording:
        channels["whatsapp"] = RecordedWhatsApp(Path(recording))
    elif rules.whatsapp_phone_number_id:
        channels["whatsapp"] = WhatsApp(rules.whatsapp_phone_number_id)
    return channels
