"""E-mail through Amazon SES: HTML with a plain-text alternative."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bemtevi import aws
from bemtevi.channels import Message, Receipt, channel_error


class SesEmail:
    name = "email"

    def __init__(self, source: str, client: Any = None) -> None:
        self._client = client or aws.client_without_retries("ses")
        self._source = source

    def send(self, message: Message) -> Receipt:
        body = {"Text": {"Data": message.text, "Charset": "UTF-8"}}
        if message.html:
            body["Html"] = {"Data": message.html, "Charset": "UTF-8"}
        try:
            answer = self._client.send_email(
                Source=self._source,
                Destination={"ToAddresses": [message.to]},
                Message={
                    "Subject": {"Data": message.subject or "", "Charset": "UTF-8"},
                    "Body": body,
                },
            )
        except (ClientError, BotoCoreError) as error:
            raise channel_error(error) from error
        return Receipt(answer["MessageId"])
