"""The channel adapters against moto (SNS, SES) and botocore's Stubber (WhatsApp, which
moto does not emulate)."""

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from bemtevi.channels import ChannelError, Message
from bemtevi.channels.email import SesEmail
from bemtevi.channels.sms import SnsSms
from bemtevi.channels.whatsapp import WhatsApp

REGION = "sa-east-1"


def test_an_sms_is_published_to_the_phone_with_its_segments(aws):
    receipt = SnsSms(sender_id="BEMTEVI").send(
        Message(to="+5511987654321", text="Olá Maria, você tem 250 pontos!")
    )
    sent = sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages[receipt.provider_message_id]
    assert sent == ("+5511987654321", "Olá Maria, você tem 250 pontos!")
    assert (receipt.segments, receipt.details["encoding"]) == (1, "UCS-2")


def test_an_email_goes_with_html_and_text(aws):
    boto3.client("ses").verify_email_identity(EmailAddress="contato@rededemo.com.br")
    receipt = SesEmail("contato@rededemo.com.br").send(
        Message(
            to="maria@example.com",
            subject="Seus pontos",
            text="Você tem 250 pontos.",
            html="<p>Você tem <b>250</b> pontos.</p>",
        )
    )
    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages[-1]
    assert receipt.provider_message_id
    assert sent.destinations["ToAddresses"] == ["maria@example.com"]
    assert (sent.subject, sent.body) == ("Seus pontos", "<p>Você tem <b>250</b> pontos.</p>")


def test_an_unverified_sender_is_a_final_failure(aws):
    with pytest.raises(ChannelError) as failed:
        SesEmail("nao-verificado@example.com").send(
            Message(to="maria@example.com", subject="x", text="x")
        )
    assert failed.value.retryable is False


def test_whatsapp_sends_an_approved_template_with_its_parameters():
    client = boto3.client("socialmessaging", region_name=REGION)
    payload = {
        "messaging_product": "whatsapp",
        "to": "+5511987654321",
        "type": "template",
        "template": {
            "name": "lembrete_pontos",
            "language": {"code": "pt_BR"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Maria"},
                        {"type": "text", "text": "250"},
                    ],
                }
            ],
        },
    }
    with Stubber(client) as stub:
        stub.add_response(
            "send_whatsapp_message",
            {"messageId": "wamid.123"},
            {
                "originationPhoneNumberId": "phone-number-id-01",
                "message": json.dumps(payload, ensure_ascii=False).encode(),
                "metaApiVersion": "v20.0",
            },
        )
        stub.add_client_error("send_whatsapp_message", "ThrottlingException", http_status_code=429)
        channel = WhatsApp("phone-number-id-01", client=client)
        message = Message(
            to="+5511987654321",
            text="",
            template="lembrete_pontos",
            template_parameters=("Maria", "250"),
        )
        assert channel.send(message).provider_message_id == "wamid.123"
        with pytest.raises(ChannelError) as throttled:
            channel.send(message)
        assert throttled.value.retryable is True
        stub.assert_no_pending_responses()
