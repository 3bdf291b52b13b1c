"""boto3 clients, created once per process and configured only by the standard AWS
environment (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, credentials)."""

from functools import cache
from typing import Any

import boto3


@cache
def client(service: str) -> Any:
    return boto3.session.Session().client(service)
