"""WhatsApp through AWS End User Messaging Social (`socialmessaging`): an approved
template, its body parameters filled in, sent from the tenant's WhatsApp number."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bemtevi import aws
from bemtevi.channels import Message, Receipt, channel_error

META_API_VERSION = "v20.0"


class WhatsApp:
    name = "whatsapp"

    def __init__(self, origination_phone_number_id: str, client: Any = None) -> None:
        self._client = client or aws.client_without_retries("socialmessaging")
        self._origin = origination_phone_number_id

    def send(self, message: Message) -> Receipt:
        if not message.template:
            raise ValueError("WhatsApp sends only approved templates outside a conversation")
        payload = {
            "messaging_product": "whatsapp",
            "to": message.to,
            "type": "template",
            "template": {
                "name": message.template,
                "language": {"code": message.language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": value} for value in message.template_parameters
                        ],
                    }
                ],
            },
        }
        try:
            answer = self._client.send_whatsapp_message(
                originationPhoneNumberId=self._origin,
                message=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                metaApiVersion=META_API_VERSION,
            )
        except (ClientError, BotoCoreError) as error:
            raise channel_error(error) from error
        return Receipt(answer["messageId"])
