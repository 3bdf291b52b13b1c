"""Logger, Metrics and Tracer (Powertools), set up once for every entry point.

Logs never carry a CPF, phone number or e-mail: handlers log ids and codes, not bodies,
and as a second line of defence the formatter masks anything shaped like one. Nor do they
carry the bearer parts of portal paths (`/portal/<token>`, `/l/<code>`): whoever reads
them would open the customer's portal. The logger is named after the app, so Chalice's
own `app.log` goes through the same formatter.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import AbstractContextManager, nullcontext

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.logging.types import LogRecord
from aws_lambda_powertools.metrics import MetricUnit

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
# A path segment after /portal/ or /l/, but not a route template such as `{token}`.
_BEARER_PATH = re.compile(r"(/(?:portal|l)/)(?!\{)[^/\s?#\"']+")


def redact(text: str) -> str:
    for pattern in _PII_PATTERNS:
        text = pattern.sub(MASK, text)
    return mask_paths(text)


def mask_paths(text: str) -> str:
    """`/portal/<token>` and `/l/<code>` become `/portal/***` and `/l/***`."""
    return _BEARER_PATH.sub(r"\1***", text)


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: LogRecord) -> str:
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


def job_counts(report: object) -> dict[str, int]:
    """The counts in a job's report (a dict, or a list of them for a job run per tenant
    or per record), summed by name; texts and nested details are left out."""
    parts = report if isinstance(report, list) else [report]
    counts: Counter[str] = Counter()
    for part in parts:
        if isinstance(part, dict):
            for name, value in part.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    counts[str(name)] += value
    return dict(sorted(counts.items()))


def report_job(job: str, report: object) -> None:
    """One log line with the job's counts, and each count as a metric with the job as
    dimension (EMF, flushed now: a handler may end the invocation right after)."""
    counts = job_counts(report)
    runs = len(report) if isinstance(report, list) else 1
    logger.info("job finished", extra={"job": job, "runs": runs, "report": counts})
    metrics.clear_metrics()  # a handler owns its invocation: nothing else is pending
    metrics.add_dimension(name="job", value=job)
    metrics.add_metric(name="JobRuns", unit=MetricUnit.Count, value=1)
    for name, value in counts.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    metrics.flush_metrics()
