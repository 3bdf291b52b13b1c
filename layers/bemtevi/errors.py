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
