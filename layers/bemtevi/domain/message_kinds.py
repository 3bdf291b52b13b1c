"""The names of things messages are made of: their kinds, the channels they go by and
the statuses a message passes through. Stored and answered as these strings."""

from __future__ import annotations

from enum import StrEnum


class MessageKind(StrEnum):
    WELCOME = "welcome"
    REMINDER = "reminder"
    EXPIRY = "expiry"


class ChannelName(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    WHATSAPP = "whatsapp"


class MessageStatus(StrEnum):
    """queued (waiting, held by quiet hours or to retry) -> sending (claimed) -> sent;
    or skipped (nothing to say, opted out) or failed (given up, dead-lettered)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
