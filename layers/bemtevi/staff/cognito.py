"""The staff directory on Amazon Cognito (moto's cognito-idp locally and in tests).

Users are named by their e-mail (lower case). Tenant, role and stores are custom
attributes the app client may read but not write, so a user cannot change their own
scope; each user is also in the group `tenant-<tenant>`, which lists a tenant's users
without a scan of the pool. Invitations suppress Cognito's own message: bemtevi sends its
own, in Portuguese."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from bemtevi import aws, settings
from bemtevi.domain.staff import ROLE_CLAIM, STORES_CLAIM, TENANT_CLAIM, Role, stores_claim
from bemtevi.staff import (
    Challenge,
    CodeRejected,
    PasswordRejected,
    SignInRefused,
    StaffError,
    StaffUser,
    Tokens,
    TooManyAttempts,
    UserExists,
    UserNotFound,
)

T = TypeVar("T")

_REFUSALS: dict[str, type[StaffError]] = {
    "NotAuthorizedException": SignInRefused,
    "UserNotFoundException": SignInRefused,
    "UserNotConfirmedException": SignInRefused,
    "PasswordResetRequiredException": SignInRefused,
    "InvalidPasswordException": PasswordRejected,
    "CodeMismatchException": CodeRejected,
    "ExpiredCodeException": CodeRejected,
    "LimitExceededException": TooManyAttempts,
    "TooManyRequestsException": TooManyAttempts,
    "TooManyFailedAttemptsException": TooManyAttempts,
    "UsernameExistsException": UserExists,
}


def tenant_group(tenant_id: str) -> str:
    return f"tenant-{tenant_id}"


def find_pool(client: Any) -> str | None:
    """The stage's staff pool, by name (an administrator's look-up, not a request's)."""
    pools = client.list_user_pools(MaxResults=60)["UserPools"]
    return next((p["Id"] for p in pools if p["Name"] == settings.staff_pool_name()), None)


def find_app_client(client: Any, pool_id: str) -> str | None:
    if not pool_id:
        return None
    found = client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    return next(
        (c["ClientId"] for c in found if c["ClientName"] == settings.staff_client_name()), None
    )


def _called(call: Callable[[], T], missing: type[StaffError] = SignInRefused) -> T:
    """Run a Cognito call; its refusals become our StaffError kinds."""
    try:
        return call()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        kind = UserNotFound if code == "UserNotFoundException" else _REFUSALS.get(code)
        if kind is UserNotFound and missing is SignInRefused:
            kind = SignInRefused
        if kind is None:
            raise
        raise kind(code) from error


def _tokens(answer: dict[str, Any], refresh_token: str | None = None) -> Tokens:
    result = answer["AuthenticationResult"]
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken", refresh_token),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def _user(username: str, attributes: list[dict[str, str]], enabled: bool, status: str) -> StaffUser:
    values = {item["Name"]: item["Value"] for item in attributes}
    stores = tuple(s for s in values.get(STORES_CLAIM, "").split(",") if s)
    return StaffUser(
        subject=values.get("sub", username),
        email=values.get("email", username),
        tenant_id=values.get(TENANT_CLAIM, ""),
        role=Role(values.get(ROLE_CLAIM, Role.SELLER.value)),
        stores=stores,
        enabled=enabled,
        status=status,
    )


class CognitoStaff:
    """`bemtevi.staff.StaffDirectory` on the configured pool and app client."""

    def __init__(self, client: Any = None) -> None:
        self._client = client or aws.client("cognito-idp")
        # the `bemtevi` command finds the stage's pool by name, with no exported ids
        self._pool = settings.cognito_user_pool_id() or find_pool(self._client) or ""
        self._app = settings.cognito_client_id() or find_app_client(self._client, self._pool) or ""

    # sign-in flows (the app client's public API)

    def sign_in(self, email: str, password: str) -> Tokens | Challenge:
        answer = _called(
            lambda: self._client.initiate_auth(
                ClientId=self._app,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email.strip().lower(), "PASSWORD": password},
            )
        )
        if "ChallengeName" in answer:
            return Challenge(answer["ChallengeName"], answer["Session"])
        return _tokens(answer)

    def answer_new_password(self, email: str, session: str, new_password: str) -> Tokens:
        answer = _called(
            lambda: self._client.respond_to_auth_challenge(
                ClientId=self._app,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=session,
                ChallengeResponses={
                    "USERNAME": email.strip().lower(),
                    "NEW_PASSWORD": new_password,
                },
            )
        )
        return _tokens(answer)

    def refresh(self, refresh_token: str) -> Tokens:
        answer = _called(
            lambda: self._client.initiate_auth(
                ClientId=self._app,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        )
        return _tokens(answer, refresh_token)

    def forgot_password(self, email: str) -> None:
        _called(
            lambda: self._client.forgot_password(ClientId=self._app, Username=email.strip().lower())
        )

    def confirm_forgot_password(self, email: str, code: str, new_password: str) -> None:
        _called(
            lambda: self._client.confirm_forgot_password(
                ClientId=self._app,
                Username=email.strip().lower(),
                ConfirmationCode=code.strip(),
                Password=new_password,
            )
        )

    def sign_out(self, email: str) -> None:
        """Revoke the user's refresh tokens: every session of theirs ends when its ID token
        expires. (The admin call: moto's GlobalSignOut does not find the pool's tokens.)"""
        _called(
            lambda: self._client.admin_user_global_sign_out(
                UserPoolId=self._pool, Username=email.strip().lower()
            ),
            UserNotFound,
        )

    # administration (the `bemtevi user` commands)

    def create_user(
        self, tenant_id: str, email: str, role: Role, stores: tuple[str, ...], password: str
    ) -> StaffUser:
        username = email.strip().lower()
        answer = _called(
            lambda: self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=username,
                TemporaryPassword=password,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "email", "Value": username},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": TENANT_CLAIM, "Value": tenant_id},
                    {"Name": ROLE_CLAIM, "Value": role.value},
                    {"Name": STORES_CLAIM, "Value": stores_claim(stores)},
                ],
            )
        )
        self._join_tenant_group(tenant_id, username)
        created = answer["User"]
        return _user(
            created["Username"], created["Attributes"], created["Enabled"], created["UserStatus"]
        )

    def _join_tenant_group(self, tenant_id: str, username: str) -> None:
        group = tenant_group(tenant_id)
        try:
            self._client.create_group(GroupName=group, UserPoolId=self._pool)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "GroupExistsException":
                raise
        self._client.admin_add_user_to_group(
            UserPoolId=self._pool, Username=username, GroupName=group
        )

    def set_password(self, email: str, password: str) -> None:
        """A permanent password (the local stack's demo users)."""
        _called(
            lambda: self._client.admin_set_user_password(
                UserPoolId=self._pool,
                Username=email.strip().lower(),
                Password=password,
                Permanent=True,
            ),
            UserNotFound,
        )

    def list_users(self, tenant_id: str) -> list[StaffUser]:
        users: list[StaffUser] = []
        paginator = self._client.get_paginator("list_users_in_group")
        try:
            pages = list(
                paginator.paginate(UserPoolId=self._pool, GroupName=tenant_group(tenant_id))
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return []
            raise
        for page in pages:
            users += [
                _user(u["Username"], u["Attributes"], u["Enabled"], u["UserStatus"])
                for u in page["Users"]
            ]
        return sorted(users, key=lambda user: user.email)

    def get_user(self, email: str) -> StaffUser:
        answer = _called(
            lambda: self._client.admin_get_user(
                UserPoolId=self._pool, Username=email.strip().lower()
            ),
            UserNotFound,
        )
        return _user(
            answer["Username"], answer["UserAttributes"], answer["Enabled"], answer["UserStatus"]
        )

    def disable_user(self, email: str) -> None:
        username = email.strip().lower()
        _called(
            lambda: self._client.admin_disable_user(UserPoolId=self._pool, Username=username),
            UserNotFound,
        )
        self.sign_out(username)

    def set_role(self, email: str, role: Role, stores: tuple[str, ...]) -> None:
        _called(
            lambda: self._client.admin_update_user_attributes(
                UserPoolId=self._pool,
                Username=email.strip().lower(),
                UserAttributes=[
                    {"Name": ROLE_CLAIM, "Value": role.value},
                    {"Name": STORES_CLAIM, "Value": stores_claim(stores)},
                ],
            ),
            UserNotFound,
        )
