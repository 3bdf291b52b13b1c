"""Check requests and responses against the OpenAPI document (layers/bemtevi/contract)."""

import re
from functools import cache

from jsonschema import Draft202012Validator

from bemtevi.contract import document


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@cache
def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator({**document(), "$ref": pointer})


def operation_path(path: str) -> str:
    for template in document()["paths"]:
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path.split("?")[0]):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def assert_request_matches(method: str, path: str, body: object) -> None:
    template = operation_path(path)
    pointer = _pointer(
        "paths", template, method, "requestBody", "content", "application/json", "schema"
    )
    _validator(pointer).validate(body)


def assert_response_matches(method: str, path: str, status: int, body: object) -> None:
    template = operation_path(path)
    responses = document()["paths"][template][method]["responses"]
    assert str(status) in responses, f"{method} {template} does not document {status}"
    shared = responses[str(status)].get("$ref")
    if shared:
        pointer = shared + "/content/application~1json/schema"
    else:
        pointer = (
            _pointer(
                "paths", template, method, "responses", str(status), "content", "application/json"
            )
            + "/schema"
        )
    _validator(pointer).validate(body)
