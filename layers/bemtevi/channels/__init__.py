"""Message channels: one small interface, one adapter each. SMS goes through SNS,
e-mail through SES, WhatsApp through AWS End User Messaging Social. An adapter sends one
message and says what the provider answered; deciding whom, when and whether to send
belongs to the callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
)

RETRYABLE_CODES = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "InternalError",
    "InternalFailure",
    "InternalServerException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
}


@dataclass(frozen=True)
class Message:
    """What to send to one customer. `to` is an E.164 phone or an e-mail address."""

    to: str
    text: str
    subject: str | None = None
    html: str | None = None
    template: str | None = None
    template_parameters: tuple[str, ...] = ()
    language: str = "pt_BR"


@dataclass(frozen=True)
class Receipt:
    provider_message_id: str
    segments: int = 1
    details: dict = field(default_factory=dict)


class ChannelError(Exception):
    """A send that failed; `retryable` when the provider may accept it later."""

    def __init__(self, message: str, retryable: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> Receipt: ...


def channel_error(error: Exception) -> ChannelError:
    """A provider's error as ours: throttling, server faults and connections that never
    reached the provider may be retried; an answer lost on the way back may not."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return ChannelError(
            code or "provider error", code in RETRYABLE_CODES or status >= 500, code
        )
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError)):
        return ChannelError(type(error).__name__, retryable=True)  # never reached the provider
    if isinstance(error, BotoCoreError):
        # a read timeout or a dropped connection: the provider may have sent it already
        return ChannelError(type(error).__name__, retryable=False)
    return ChannelError(str(error), retryable=False)
