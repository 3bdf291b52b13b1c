"""WhatsApp for the local stack: moto has no End User Messaging Social, so the message
is written to a JSON-lines file instead of being sent."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

from bemtevi.channels import Message, Receipt

_LOCK = threading.Lock()


class RecordedWhatsApp:
    name = "whatsapp"

    def __init__(self, path: Path) -> None:
        self._path = path

    def send(self, message: Message) -> Receipt:
        if not message.template:
            raise ValueError("WhatsApp sends only approved templates outside a conversation")
        receipt = Receipt(f"local-{uuid.uuid4()}")
        line = {
            "message_id": receipt.provider_message_id,
            "to": message.to,
            "template": message.template,
            "parameters": list(message.template_parameters),
        }
        with _LOCK:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return receipt
