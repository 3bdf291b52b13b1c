"""The customer portal: `/l/<code>` from a message leads to `/portal/<token>`; both are
bearer links, signed and expiring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response

from bemtevi.lazy import lazy_module
from chalicelib.answers import page, when_aws_is_down

portal = lazy_module("functions.portal.pages")

portal_pages = Blueprint(__name__)


def page_route(path: str, **options: Any) -> Callable:
    """`portal_pages.route` whose page says "try again" (503) when AWS does not answer."""

    def register(view: Callable[..., Response]) -> Callable[..., Response]:
        guarded = when_aws_is_down(lambda _: page(portal.unavailable()))(view)
        return portal_pages.route(path, **options)(guarded)

    return register


@page_route("/l/{code}", methods=["GET"])
def get_link(code: str) -> Response:
    return page(portal.follow(code))


@page_route("/portal/{token}", methods=["GET"])
def get_portal(token: str) -> Response:
    params = portal_pages.current_request.query_params
    saved = params is not None and params.get("salvo") == "1"
    return page(portal.show(token, saved=saved))


@page_route(
    "/portal/{token}/canais",
    methods=["POST"],
    content_types=["application/x-www-form-urlencoded"],
)
def post_portal_channels(token: str) -> Response:
    request = portal_pages.current_request
    return page(portal.save_channels(token, request.raw_body or b"", request.headers))


my_data = lazy_module("functions.portal.my_data")


@page_route("/portal/{token}/meus-dados", methods=["GET"])
def get_my_data(token: str) -> Response:
    return page(my_data.show(token))


@page_route("/portal/{token}/meus-dados.json", methods=["GET"])
def get_my_data_json(token: str) -> Response:
    return page(my_data.download(token))


@page_route(
    "/portal/{token}/apagar",
    methods=["POST"],
    content_types=["application/x-www-form-urlencoded"],
)
def post_portal_erasure(token: str) -> Response:
    request = portal_pages.current_request
    return page(my_data.erase(token, request.raw_body or b"", request.headers))
