"""Staff identity: the dashboard's users live in a Cognito user pool (never a table of
passwords of ours). `cognito` holds the calls (sign-in flows and user administration),
`tokens` the verification of the tokens the pool signs. Callers depend on the small
interface below, so a test or another provider can stand in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bemtevi.domain.staff import Role


class StaffError(Exception):
    """A refusal of the identity provider, with a stable English code."""

    code = "staff_error"


class SignInRefused(StaffError):
    code = "sign_in_refused"


class PasswordRejected(StaffError):
    code = "password_rejected"


class CodeRejected(StaffError):
    code = "code_rejected"


class TooManyAttempts(StaffError):
    code = "too_many_attempts"


class UserExists(StaffError):
    code = "user_exists"


class UserNotFound(StaffError):
    code = "user_not_found"


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class Challenge:
    """Cognito wants a new password before it issues tokens (first sign-in)."""

    name: str
    session: str


@dataclass(frozen=True)
class StaffUser:
    subject: str
    email: str
    tenant_id: str
    role: Role
    stores: tuple[str, ...]
    enabled: bool
    status: str


class StaffDirectory(Protocol):
    """What the dashboard and the `bemtevi user` commands need from the identity provider."""

    def sign_in(self, email: str, password: str) -> Tokens | Challenge: ...

    def answer_new_password(self, email: str, session: str, new_password: str) -> Tokens: ...

    def refresh(self, refresh_token: str) -> Tokens: ...

    def forgot_password(self, email: str) -> None: ...

    def confirm_forgot_password(self, email: str, code: str, new_password: str) -> None: ...

    def sign_out(self, email: str) -> None: ...

    def create_user(
        self, tenant_id: str, email: str, role: Role, stores: tuple[str, ...], password: str
    ) -> StaffUser: ...

    def set_password(self, email: str, password: str) -> None: ...

    def list_users(self, tenant_id: str) -> list[StaffUser]: ...

    def get_user(self, email: str) -> StaffUser: ...

    def disable_user(self, email: str) -> None: ...

    def set_role(self, email: str, role: Role, stores: tuple[str, ...]) -> None: ...
