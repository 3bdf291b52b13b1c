"""SMS through Amazon SNS: Publish to a phone number, transactional or promotional."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bemtevi import aws
from bemtevi.channels import Message, Receipt, channel_error
from bemtevi.domain.sms import sms_size


class SnsSms:
    name = "sms"

    def __init__(
        self, sender_id: str | None = None, transactional: bool = True, client: Any = None
    ) -> None:
        self._client = client or aws.client_without_retries("sns")
        self._attributes = {
            "AWS.SNS.SMS.SMSType": {
                "DataType": "String",
                "StringValue": "Transactional" if transactional else "Promotional",
            }
        }
        if sender_id:
            self._attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": sender_id,
            }

    def send(self, message: Message) -> Receipt:
        size = sms_size(message.text)
        try:
            answer = self._client.publish(
                PhoneNumber=message.to, Message=message.text, MessageAttributes=self._attributes
            )
        except (ClientError, BotoCoreError) as error:
            raise channel_error(error) from error
        return Receipt(
            answer["MessageId"], segments=size.segments, details={"encoding": size.encoding}
        )
