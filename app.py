"""bemtevi's Chalice app: routes, schedules and event handlers. Wiring only: each view
parses the request, calls one function in functions/ and shapes the response."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Chalice, Cron, Rate, Response
from chalice.app import Request, SNSEvent, SQSEvent

from bemtevi import settings
from bemtevi.errors import BemteviError, unavailable_backend
from bemtevi.lazy import lazy_module
from bemtevi.observability import logger, metrics, traced

auth = lazy_module("functions.auth")
balance = lazy_module("functions.balance")
compensation = lazy_module("functions.compensation")
contract = lazy_module("bemtevi.contract")
customers = lazy_module("functions.customers")
health = lazy_module("functions.health")
jobs = lazy_module("functions.jobs")
message_jobs = lazy_module("functions.message_jobs")
network = lazy_module("functions.network")
portal = lazy_module("functions.portal")
schedule = lazy_module("bemtevi.domain.schedule")
snapshots = lazy_module("functions.metrics")
products = lazy_module("functions.products")
redemptions = lazy_module("functions.redemptions")
replies = lazy_module("functions.replies")
returns = lazy_module("functions.returns")
sales = lazy_module("functions.sales")

app = Chalice(app_name="bemtevi", configure_logs=False)


@app.middleware("http")
def observe(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Correlation id, a trace segment, one log line and one metric per request; never
    bodies."""
    logger.set_correlation_id(event.context.get("requestId"))
    route = event.context.get("resourcePath", "unknown")
    with traced(f"## {event.method} {route}"):
        response = get_response(event)
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


def api_route(path: str, **options: Any) -> Callable:
    """`app.route` that answers a BemteviError with its 4xx JSON error, and AWS not
    answering with a 503 in the same envelope."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except BemteviError as error:
                logger.info("request refused", extra={"code": error.code, "field": error.field})
                return Response(body=error.as_body(), status_code=error.status)
            except Exception as error:
                unavailable = unavailable_backend(error)
                if unavailable is None:
                    raise
                logger.warning("aws unavailable", extra={"error": type(error).__name__})
                return Response(body=unavailable.as_body(), status_code=unavailable.status)

        return app.route(path, **options)(answer)

    return register


def authenticated_store() -> auth.StoreIdentity:
    request = app.current_request
    return auth.authenticate(request.headers, request.raw_body or b"")


@app.route("/health", methods=["GET"])
def get_health() -> Response:
    body, healthy = health.health()
    return Response(body=body, status_code=200 if healthy else 503)


@api_route("/v1/me", methods=["GET"])
def get_me() -> dict:
    store = authenticated_store()
    return network.store_profile(store.tenant_id, store.store_id, store.key_id)


@app.route("/v1/openapi.json", methods=["GET"])
def get_openapi() -> dict:
    return contract.document()


@api_route("/v1/sales", methods=["POST"])
def post_sale() -> Response:
    store = authenticated_store()
    answer = sales.record_sale(store, request_body())
    return answered(answer)


@api_route("/v1/sales/{sale_id}/cancel", methods=["POST"])
def post_sale_cancel(sale_id: str) -> Response:
    store = authenticated_store()
    return answered(returns.return_sale(store, sale_id, request_body(empty={})))


@api_route("/v1/balance", methods=["POST"])
def post_balance() -> dict:
    store = authenticated_store()
    return balance.balance(store, request_body())


@api_route("/v1/customers", methods=["POST"])
def post_customer() -> Response:
    store = authenticated_store()
    return answered(customers.upsert_customer(store, request_body()))


@api_route("/v1/customers/batch", methods=["POST"])
def post_customers_batch() -> dict:
    store = authenticated_store()
    return customers.upsert_customers(store, request_body())


@api_route("/v1/products/batch", methods=["POST"])
def post_products_batch() -> dict:
    store = authenticated_store()
    return products.upsert_products(store, request_body())


@api_route("/v1/redemptions", methods=["POST"])
def post_redemption() -> Response:
    store = authenticated_store()
    return answered(redemptions.redeem_benefit(store, request_body()))


@api_route("/v1/redemptions/{redemption_id}/cancel", methods=["POST"])
def post_redemption_cancel(redemption_id: str) -> Response:
    store = authenticated_store()
    return answered(redemptions.cancel_redemption(store, redemption_id))


@api_route("/v1/metrics", methods=["GET"])
def get_metrics() -> dict:
    store = authenticated_store()
    query = app.current_request.query_params or {}
    return snapshots.store_months(
        store.tenant_id, store.store_id, query.get("from"), query.get("to")
    )


@api_route("/v1/compensation", methods=["GET"])
def get_compensation() -> dict:
    store = authenticated_store()
    query = app.current_request.query_params or {}
    return compensation.statement(store.tenant_id, store.store_id, query.get("month"))


@app.schedule(Cron(10, "*", "*", "*", "?", "*"), name="monthly_metrics")
def monthly_metrics(event: Any) -> None:
    """Hourly; acts for each tenant on the 1st, from 01:00 its time."""
    jobs.run_monthly("metrics", datetime.now(UTC), schedule.METRICS_HOUR)


@app.schedule(Cron(40, "*", "*", "*", "?", "*"), name="monthly_compensation")
def monthly_compensation(event: Any) -> None:
    """Hourly; closes the previous month for each tenant on the 1st, from 02:00 its time."""
    jobs.run_monthly("compensation", datetime.now(UTC), schedule.COMPENSATION_HOUR)


def request_body(empty: object = None) -> object:
    return contract.parsed_body(app.current_request.raw_body or b"", empty)


def answered(answer: sales.Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    return Response(body=answer.body, status_code=answer.status, headers=headers)


@app.route("/l/{code}", methods=["GET"])
def get_link(code: str) -> Response:
    return page_response(portal.follow(code))


@app.route("/portal/{token}", methods=["GET"])
def get_portal(token: str) -> Response:
    saved = (app.current_request.query_params or {}).get("salvo") == "1"
    return page_response(portal.show(token, saved=saved))


@app.route(
    "/portal/{token}/canais",
    methods=["POST"],
    content_types=["application/x-www-form-urlencoded"],
)
def post_portal_channels(token: str) -> Response:
    return page_response(portal.save_channels(token, app.current_request.raw_body or b""))


def page_response(page: portal.Page) -> Response:
    return Response(body=page.body, status_code=page.status, headers=page.headers)


@app.schedule(Rate(10, unit=Rate.MINUTES), name="send_outbox")
def send_outbox(event: Any) -> None:
    """Welcomes, messages held by quiet hours and retries: every tenant, every shard."""
    message_jobs.fan_out_outbox()


@app.schedule(Cron(0, "*", "*", "*", "?", "*"), name="start_message_jobs")
def start_message_jobs(event: Any) -> None:
    """Hourly in UTC: the expiry and reminder jobs of tenants whose local hour it is."""
    message_jobs.start_due_jobs()


@app.on_sqs_message(queue=settings.queue_name("jobs"), batch_size=1, name="run_job_shard")
def run_job_shard(event: SQSEvent) -> None:
    """One shard of a job; it stops before Lambda's limit and queues the rest."""
    for record in event:
        message_jobs.run_shard(record.body, message_jobs.while_time_left(event.context))


@app.on_sns_message(topic=settings.inbound_sms_topic(), name="receive_sms")
def receive_sms(event: SNSEvent) -> None:
    replies.receive_sms(json.loads(event.message))
