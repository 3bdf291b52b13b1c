"""The customer portal: `/l/<code>` from a message leads to `/portal/<token>`; both are
bearer links, signed and expiring."""

from __future__ import annotations

from chalice import Blueprint, Response

from bemtevi.lazy import lazy_module
from chalicelib.answers import page

portal = lazy_module("functions.portal.pages")

portal_pages = Blueprint(__name__)


@portal_pages.route("/l/{code}", methods=["GET"])
def get_link(code: str) -> Response:
    return page(portal.follow(code))


@portal_pages.route("/portal/{token}", methods=["GET"])
def get_portal(token: str) -> Response:
    params = portal_pages.current_request.query_params
    saved = params is not None and params.get("salvo") == "1"
    return page(portal.show(token, saved=saved))


@portal_pages.route(
    "/portal/{token}/canais",
    methods=["POST"],
    content_types=["application/x-www-form-urlencoded"],
)
def post_portal_channels(token: str) -> Response:
    request = portal_pages.current_request
    return page(portal.save_channels(token, request.raw_body or b"", request.headers))
