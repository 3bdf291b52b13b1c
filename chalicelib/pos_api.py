"""The POS API: `/v1`, every call signed by a store's key (`/health` and the contract
are open)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import MultiDict

from bemtevi.lazy import LazyModule, lazy_module
from chalicelib.answers import answered, api_route, json_body

if TYPE_CHECKING:
    from functions.common.auth import StoreIdentity

auth = lazy_module("functions.common.auth")
balance = lazy_module("functions.loyalty.balance")
compensation = lazy_module("functions.reporting.settlement")
contract = lazy_module("bemtevi.contract")
customers = lazy_module("functions.loyalty.enrolment")
health = lazy_module("functions.common.health")
network = lazy_module("functions.network.stores")
products = lazy_module("functions.network.products")
redemptions = lazy_module("functions.loyalty.redemptions")
returns = lazy_module("functions.loyalty.returns")
sales = lazy_module("functions.loyalty.sales")
snapshots = lazy_module("functions.reporting.snapshots")

pos_api = Blueprint(__name__)


def authenticated_store(load_ahead: LazyModule | None = None) -> StoreIdentity:
    """The store whose key signed this request, as the signature covers it: method, path
    with its parameters, query and body. `load_ahead`, the route's own module, loads on a
    thread meanwhile (on a cold start, authenticating waits on DynamoDB and KMS)."""
    authenticate = auth.authenticate  # loaded first: the route's module imports it too
    if load_ahead is not None:
        load_ahead.load_ahead()
    request = pos_api.current_request
    path = request.path
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    query = request.query_params or MultiDict(None)
    pairs = [(name, value) for name in query for value in query.getlist(name)]
    body = request.raw_body or b""
    return authenticate(auth.SignedRequest(request.headers, request.method, path, pairs, body))


def query_param(name: str) -> str | None:
    params = pos_api.current_request.query_params
    return params.get(name) if params else None


@pos_api.route("/health", methods=["GET"])
def get_health() -> Response:
    body, healthy = health.health()
    return Response(body=body, status_code=200 if healthy else 503)


@pos_api.route("/v1/openapi.json", methods=["GET"])
def get_openapi() -> dict:
    return contract.document()


@api_route(pos_api, "/v1/me", methods=["GET"])
def get_me() -> dict:
    store = authenticated_store()
    return network.store_profile(store.tenant_id, store.store_id, store.key_id)


@api_route(pos_api, "/v1/sales", methods=["POST"])
def post_sale() -> Response:
    store = authenticated_store(load_ahead=sales)
    return answered(sales.record_sale(store, json_body(pos_api)))


@api_route(pos_api, "/v1/sales/{sale_id}/cancel", methods=["POST"])
def post_sale_cancel(sale_id: str) -> Response:
    store = authenticated_store()
    return answered(returns.return_sale(store, sale_id, json_body(pos_api, empty={})))


@api_route(pos_api, "/v1/balance", methods=["POST"])
def post_balance() -> dict:
    store = authenticated_store()
    return balance.balance(store, json_body(pos_api))


@api_route(pos_api, "/v1/customers", methods=["POST"])
def post_customer() -> Response:
    store = authenticated_store()
    return answered(customers.upsert_customer(store, json_body(pos_api)))


@api_route(pos_api, "/v1/customers/batch", methods=["POST"])
def post_customers_batch() -> dict:
    store = authenticated_store()
    return customers.upsert_customers(store, json_body(pos_api))


@api_route(pos_api, "/v1/products/batch", methods=["POST"])
def post_products_batch() -> dict:
    store = authenticated_store()
    return products.upsert_products(store, json_body(pos_api))


@api_route(pos_api, "/v1/redemptions", methods=["POST"])
def post_redemption() -> Response:
    store = authenticated_store()
    return answered(redemptions.redeem_benefit(store, json_body(pos_api)))


@api_route(pos_api, "/v1/redemptions/{redemption_id}/cancel", methods=["POST"])
def post_redemption_cancel(redemption_id: str) -> Response:
    store = authenticated_store()
    return answered(redemptions.cancel_redemption(store, redemption_id))


@api_route(pos_api, "/v1/metrics", methods=["GET"])
def get_metrics() -> dict:
    store = authenticated_store()
    first, last = query_param("from"), query_param("to")
    return snapshots.store_months(store.tenant_id, store.store_id, first, last)


@api_route(pos_api, "/v1/compensation", methods=["GET"])
def get_compensation() -> dict:
    store = authenticated_store()
    return compensation.statement(store.tenant_id, store.store_id, query_param("month"))
