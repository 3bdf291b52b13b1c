"""Logger, Metrics and Tracer (Powertools), set up once for every entry point.

Logs never carry a CPF, phone number or e-mail: handlers log ids and codes, not bodies,
and as a second line of defence the formatter masks anything shaped like one. The logger
is named after the app, so Chalice's own `app.log` goes through the same formatter.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

SERVICE = "bemtevi"
NAMESPACE = "Bemtevi"

_PII_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<!\d)\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d)"),
    re.compile(r"(?<![\w])\+?55[\s.-]?\(?\d{2}\)?[\s.-]?9?\d{4}[\s.-]?\d{4}(?!\d)"),
    re.compile(r"\(\d{2}\)\s?9?\d{4}[\s.-]?\d{4}(?!\d)"),
    re.compile(r"(?<!\d)\d{2}\s9?\d{4}-\d{4}(?!\d)"),
    re.compile(r"(?<![\d.])\d{11}(?![\d.])"),
]
MASK = "[redacted]"


def redact(text: str) -> str:
    for pattern in _PII_PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: dict) -> str:
        return redact(super().serialize(log))


def traced(name: str) -> AbstractContextManager:
    """An X-Ray subsegment where tracing is on; nothing elsewhere."""
    return tracer.provider.in_subsegment(name) if tracer else nullcontext()


logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
# Powertools' Tracer builds the X-Ray recorder when constructed, even when it would stay
# disabled (the X-Ray SDK and its botocore data). Only Lambda with tracing on pays for it;
# bench/import_time.py prints the cost. Only botocore is patched: every AWS call, PynamoDB's
# included, goes through it (patching PynamoDB too traced each DynamoDB call twice, and
# patching every library X-Ray knows imported them all at cold start).
tracer = (
    None if Tracer._is_tracer_disabled() else Tracer(service=SERVICE, patch_modules=("botocore",))
)
