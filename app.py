"""bemtevi's Chalice app: one blueprint per audience (chalicelib/), assembled here with
the middleware every request goes through. No routes are written in this file."""

from __future__ import annotations

import gc
import os

# On Lambda, what the imports below and a first request build lives as long as the
# process: the collector would walk it again and again for nothing (tens of collections,
# a good part of a cold first sale). It stays off until the first invocation has been
# served (or, for events, until it starts: a job may run long), then starts with all of
# that frozen (collect_after_cold_start).
if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    gc.disable()

from collections.abc import Callable

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Chalice, Response
from chalice.app import Request

from bemtevi import errors, pending
from bemtevi.observability import logger, metrics, traced
from chalicelib.dashboard import painel
from chalicelib.events import events
from chalicelib.portal_pages import portal_pages
from chalicelib.pos_api import pos_api

app = Chalice(app_name="bemtevi", configure_logs=False)


@app.middleware("http")
def observe(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Correlation id, a trace segment, one log line and one metric per request; never
    bodies. Chalice's own error bodies (405, 415, 500) leave in bemtevi's envelope. Work
    the request left running (bemtevi.pending) has finished before it answers."""
    request_id = event.context.get("requestId")
    logger.set_correlation_id(request_id)
    route = event.context.get("resourcePath", "unknown")
    with traced(f"## {event.method} {route}"):
        try:
            response = get_response(event)
        finally:
            pending.settle()
    body = errors.enveloped(response.status_code, response.body, request_id)
    if body is not None:
        response = Response(body=body, status_code=response.status_code, headers=response.headers)
    logger.info(
        "request handled",
        extra={"method": event.method, "route": route, "status": response.status_code},
    )
    metrics.add_metadata(key="route", value=route)
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    if response.status_code >= 400:
        metrics.add_metric(name="RequestErrors", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()
    return response


@app.middleware("all")
def collect_after_cold_start(event: object, get_response: Callable[[object], object]) -> object:
    """The collector, off since import on Lambda, starts once the first request has been
    answered, or before the first event is handled; what was built until then is frozen
    (the first request's own garbage with it: a one-off few hundred kilobytes)."""
    if not gc.isenabled() and not isinstance(event, Request):
        _start_collecting()
    try:
        return get_response(event)
    finally:
        if not gc.isenabled():
            _start_collecting()


def _start_collecting() -> None:
    gc.freeze()
    gc.enable()


app.register_blueprint(pos_api)
app.register_blueprint(portal_pages)
app.register_blueprint(painel)
app.register_blueprint(events)

# What the imports built lives as long as the process: frozen, the collector stops walking
# it on every full collection (on Lambda it is frozen again after the first request).
gc.freeze()
