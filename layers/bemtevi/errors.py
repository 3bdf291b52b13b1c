"""The errors bemtevi answers with: `{"error": {"code", "message", "field"}}`.

Messages are Brazilian Portuguese (a cashier or an integrator reads them); codes are stable
English identifiers a POS plug-in can branch on.
"""


class BemteviError(Exception):
    status = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class InvalidInput(BemteviError):
    status = 400


class Unauthorized(BemteviError):
    status = 401


class NotFound(BemteviError):
    status = 404


class Conflict(BemteviError):
    status = 409


class ServiceUnavailable(BemteviError):
    status = 503


def unavailable_backend(error: BaseException) -> ServiceUnavailable | None:
    """The 503 to answer when `error` is AWS not answering (connection refused or closed,
    a timeout), as botocore raises it or as PynamoDB wraps it; None for anything else."""
    from botocore.exceptions import ConnectionClosedError, ConnectionError, ReadTimeoutError

    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionError | ConnectionClosedError | ReadTimeoutError):
            return ServiceUnavailable(
                "service_unavailable",
                "Serviço temporariamente indisponível; tente novamente em instantes.",
            )
        pending += [getattr(current, "cause", None), current.__cause__, current.__context__]
    return None


# Chalice answers some requests itself, before a view runs, with `{"Code", "Message"}`.
_CHALICE_ANSWERS = {
    400: ("bad_request", "Requisição inválida."),
    405: ("method_not_allowed", "Método não permitido nesta rota: veja o cabeçalho Allow."),
    415: ("unsupported_media_type", "Tipo de conteúdo não aceito: envie application/json."),
    500: ("internal", "Erro interno. Tente de novo; se persistir, informe o request_id."),
}


def enveloped(status: int, body: object, request_id: str | None) -> dict | None:
    """Chalice's own error body in bemtevi's envelope; None when `body` is not one."""
    if not (isinstance(body, dict) and set(body) == {"Code", "Message"}):
        return None
    code, message = _CHALICE_ANSWERS.get(status, ("error", "Requisição recusada."))
    error: dict[str, object] = {"code": code, "message": message, "field": None}
    if status >= 500:
        error["request_id"] = request_id or "unknown"
    return {"error": error}
