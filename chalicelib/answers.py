"""How views turn outcomes into HTTP answers: errors in the one envelope, replays marked,
pages with their headers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from chalice import Blueprint, Response

from bemtevi.errors import BemteviError, ServiceUnavailable, unavailable_backend
from bemtevi.lazy import lazy_module
from bemtevi.observability import logger

contract = lazy_module("bemtevi.contract")


def api_route(blueprint: Blueprint, path: str, **options: Any) -> Callable:
    """`blueprint.route` that answers a BemteviError with its JSON error, and AWS not
    answering with a 503 in the same envelope."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except BemteviError as error:
                logger.info("request refused", extra={"code": error.code, "field": error.field})
                return _error_response(error)

        return blueprint.route(path, **options)(when_aws_is_down(_error_response)(answer))

    return register


def when_aws_is_down(answer: Callable[[ServiceUnavailable], Response]) -> Callable:
    """A view that answers `answer(unavailable)`, logged once, when AWS does not answer
    (connection refused or closed, a timeout); any other failure goes on as it was."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except Exception as error:
                unavailable = unavailable_backend(error)
                if unavailable is None:
                    raise
                logger.warning("aws unavailable", extra={"error": type(error).__name__})
                return answer(unavailable)

        return run

    return wrap


def _error_response(error: BemteviError) -> Response:
    return Response(body=error.as_body(), status_code=error.status)


def json_body(blueprint: Blueprint, empty: object = None) -> object:
    """The request's JSON body, read strictly; `empty` stands for a missing one."""
    return contract.parsed_body(blueprint.current_request.raw_body or b"", empty)


def answered(answer: Any) -> Response:
    """A write's answer; a replay of an earlier request says so in a header."""
    headers: dict[str, str | list[str]] = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    return Response(body=answer.body, status_code=answer.status, headers=headers)


def page(answer: Any) -> Response:
    return Response(body=answer.body, status_code=answer.status, headers=answer.headers)
