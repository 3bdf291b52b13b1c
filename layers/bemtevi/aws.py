"""boto3 clients, created once per process and configured only by the standard AWS
environment (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, credentials)."""

from functools import cache
from typing import Any

import boto3
from botocore.config import Config


@cache
def client(service: str) -> Any:
    return boto3.session.Session().client(service)


@cache
def client_without_retries(service: str) -> Any:
    """For sends that must not be repeated blindly (SMS, e-mail, WhatsApp): botocore
    would resend after a timeout the provider may already have acted on."""
    return boto3.session.Session().client(
        service, config=Config(retries={"total_max_attempts": 1, "mode": "standard"})
    )
