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
