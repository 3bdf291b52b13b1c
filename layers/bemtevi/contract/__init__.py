"""The API contract: `openapi.json` (OpenAPI 3.1) is served at /v1/openapi.json and its
schemas validate every request body, so the document cannot drift from what is enforced.
Schema errors become 400s naming the field, in Portuguese."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from bemtevi.domain.customers import INVALID_CPF, INVALID_PHONE
from bemtevi.errors import BemteviError, InvalidInput

DOCUMENT_PATH = Path(__file__).with_name("openapi.json")
MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_INTEGER_DIGITS = 18
# Fields whose schema rule has the same meaning as a server-side check answer that
# check's code (`x-error-code` in the document), whichever of the two refuses the value.
_OWN_MESSAGES = {"invalid_cpf": INVALID_CPF, "invalid_phone": INVALID_PHONE}
_SURROGATE = re.compile("[\ud800-\udfff]")
# Validators generated from the document at package time (absent from the source tree).
COMPILED_PACKAGE = f"{__name__}.compiled"


class _CompileOptions(TypedDict):
    use_default: bool
    use_formats: bool


_COMPILE_OPTIONS: _CompileOptions = {"use_default": True, "use_formats": True}


class PayloadTooLarge(BemteviError):
    status = 413


@cache
def document() -> dict:
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def parsed_body(raw: bytes, empty: Any = None) -> Any:
    """The JSON body; `empty` stands for a missing body where one is optional.

    Stricter than `json.loads`: a repeated key, a number with a fraction or exponent where
    the contract has only integers (`100.0` included), an integer too long for any field,
    NaN, a lone surrogate or nesting deeper than MAX_DEPTH are each a 400, never a 500
    and never silently read one way."""
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge("body_too_large", "Corpo maior que 256 KB.", None)
    if not raw.strip() and empty is not None:
        return empty
    if not raw.strip():
        raise InvalidInput("invalid_json", "Envie um corpo JSON.", None)
    try:
        body = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_without_repeated_keys,
            parse_int=_bounded_integer,
            parse_float=Decimal,
            parse_constant=_refused_constant,
        )
    except InvalidInput:
        raise
    except RecursionError:
        raise _too_deep() from None
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("invalid_json", "Corpo não é um JSON válido.", None) from None
    _check_depth_and_text(body)
    return body


def _without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name, value in pairs:
        if name in body:
            raise InvalidInput("duplicate_field", "Campo repetido no JSON.", _printable(name))
        body[name] = value
    return body


def _bounded_integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InvalidInput(
            "number_too_large", f"Número com mais de {MAX_INTEGER_DIGITS} dígitos.", None
        )
    return int(text)


def _refused_constant(name: str) -> Any:
    raise InvalidInput("invalid_json", f"{name} não é um número JSON válido.", None)


def _too_deep() -> InvalidInput:
    return InvalidInput("too_deep", f"JSON aninhado demais (máximo {MAX_DEPTH} níveis).", None)


def _check_depth_and_text(body: Any) -> None:
    """Walks the parsed body without recursion: depth, and text that UTF-8 cannot hold."""
    pending: list[tuple[Any, list[str]]] = [(body, [])]
    while pending:
        node, path = pending.pop()
        if len(path) > MAX_DEPTH:
            raise _too_deep()
        if isinstance(node, dict):
            for name, value in node.items():
                if _SURROGATE.search(name):
                    raise _bad_text(path)
                pending.append((value, [*path, name]))
        elif isinstance(node, list):
            pending.extend((value, [*path, str(index)]) for index, value in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise _bad_text(path)


def _bad_text(path: list[str]) -> InvalidInput:
    return InvalidInput(
        "invalid_text", "Texto com caractere inválido (surrogate isolado).", _field("", path)
    )


def _printable(name: str) -> str:
    return _SURROGATE.sub("?", name)[:64]


def validated(schema_name: str, body: Any, prefix: str = "") -> dict:
    """The body, with defaults filled in, if it matches the named schema."""
    import fastjsonschema

    try:
        return _validator(schema_name)(body)
    except fastjsonschema.JsonSchemaValueException as error:
        raise _as_invalid_input(error, prefix) from None


@cache
def _validator(schema_name: str) -> Callable[[Any], Any]:
    """The schema's validator: the one the deployment package ships compiled (no code
    generation at a cold start), else compiled now from the document."""
    module_name = f"{COMPILED_PACKAGE}.{compiled_module_name(schema_name)}"
    try:
        return importlib.import_module(module_name).validate
    except ModuleNotFoundError as error:
        if not module_name.startswith(str(error.name)):
            raise
    import fastjsonschema

    return fastjsonschema.compile(_schema_root(document(), schema_name), **_COMPILE_OPTIONS)


def compiled_sources(openapi: dict) -> dict[str, str]:
    """The Python source of every schema's validator, by module name in COMPILED_PACKAGE:
    `infra.package` ships them with their bytecode, generated from the same document."""
    import fastjsonschema

    return {
        compiled_module_name(name): fastjsonschema.compile_to_code(
            _schema_root(openapi, name), **_COMPILE_OPTIONS
        )
        for name in openapi["components"]["schemas"]
    }


def compiled_module_name(schema_name: str) -> str:
    """`SaleRequest` -> `sale_request`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", schema_name).lower()


def _schema_root(openapi: dict, schema_name: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}


def _as_invalid_input(error: Any, prefix: str) -> InvalidInput:
    path = [str(part) for part in error.path[1:]]
    rule, definition, value = error.rule, error.rule_definition, error.value
    own_code = error.definition.get("x-error-code") if isinstance(error.definition, dict) else None
    if own_code in _OWN_MESSAGES:
        return InvalidInput(own_code, _OWN_MESSAGES[own_code], _field(prefix, path))
    if rule == "required" and isinstance(value, dict):
        missing = [name for name in definition if name not in value]
        return InvalidInput(
            "missing_field", "Campo obrigatório ausente.", _field(prefix, [*path, missing[0]])
        )
    if rule == "additionalProperties" and isinstance(value, dict):
        known = set(error.definition.get("properties", {}))
        unknown = sorted(name for name in value if name not in known)
        return InvalidInput(
            "unknown_field", "Campo desconhecido.", _field(prefix, [*path, unknown[0]])
        )
    if rule == "anyOf" and isinstance(value, dict):
        return InvalidInput(
            "missing_field",
            "Informe o CPF ou o telefone do cliente.",
            _field(prefix, [*path, "cpf"]),
        )
    messages = {
        "type": f"Tipo inválido: esperado {_type_name(definition)}." if rule == "type" else "",
        "minimum": f"O valor mínimo é {definition}.",
        "maximum": f"O valor máximo é {definition}.",
        "minLength": "Texto vazio ou curto demais.",
        "maxLength": f"Texto longo demais (máximo {definition} caracteres).",
        "pattern": "Formato inválido.",
        "format": "Formato inválido (datas: AAAA-MM-DD; data e hora: ISO-8601 com fuso).",
        "maxItems": f"No máximo {definition} itens.",
        "minItems": f"Envie ao menos {definition} item.",
        "maxProperties": "Informe só um: cpf, phone ou customer_id.",
        "minProperties": "Informe cpf, phone ou customer_id.",
        "enum": "Valor não permitido.",
    }
    return InvalidInput(
        f"invalid_{rule.lower()}" if rule in messages else "invalid_field",
        messages.get(rule, "Valor inválido."),
        _field(prefix, path),
    )


def _type_name(definition: Any) -> str:
    names = {
        "integer": "número inteiro",
        "string": "texto",
        "object": "objeto",
        "array": "lista",
        "boolean": "verdadeiro ou falso",
        "null": "nulo",
        "number": "número",
    }
    kinds = definition if isinstance(definition, list) else [definition]
    return " ou ".join(names.get(str(kind), str(kind)) for kind in kinds)


def _field(prefix: str, path: list[str]) -> str | None:
    parts = [part for part in (prefix, ".".join(path)) if part]
    return ".".join(parts) or None
