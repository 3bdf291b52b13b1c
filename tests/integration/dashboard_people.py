"""The people of the dashboard tests: two tenants, their users in the emulated Cognito
pool (signed in through the real app client), and tokens that must be refused, signed
with the key moto signs every pool's tokens with."""

from __future__ import annotations

import gzip
import json
import re
import time
from dataclasses import dataclass
from importlib import resources

import jwt

from bemtevi import aws, settings
from functions.dashboard import session, users
from functions.network import stores

PASSWORD = "Senha-forte-123"
TENANT_A, TENANT_B = "rede-a", "rede-b"
STORE_A, STORE_B = ("loja-a", "Loja Alfa"), ("loja-b", "Loja Beta")
OTHER_STORE = ("loja-g", "Loja Gama")
EMAILS = {
    "rede": "admin@rede-a.com.br",
    "loja": "gerente@rede-a.com.br",
    "vendedor": "vendedor@rede-a.com.br",
    "outra_rede": "admin@rede-b.com.br",
}
FORM = "application/x-www-form-urlencoded"


def create_network() -> None:
    stores.create_tenant(TENANT_A, "Rede A")
    stores.create_tenant(TENANT_B, "Rede B")
    for store_id, name in (STORE_A, STORE_B):
        stores.add_store(TENANT_A, store_id, name)
    stores.add_store(TENANT_B, *OTHER_STORE)
    invite("rede", TENANT_A, "rede", ())
    invite("loja", TENANT_A, "loja", (STORE_A[0],))
    invite("vendedor", TENANT_A, "vendedor", (STORE_A[0],))
    invite("outra_rede", TENANT_B, "rede", ())


def invite(who: str, tenant: str, role: str, store_ids: tuple[str, ...]) -> None:
    users.invite(tenant, EMAILS[who], role, store_ids)
    users.directory().set_password(EMAILS[who], PASSWORD)


@dataclass(frozen=True)
class Signed:
    id_token: str
    access_token: str
    refresh_token: str

    def cookie(self, id_token: str | None = None, refresh: bool = True) -> str:
        parts = {
            session.ID_COOKIE: id_token or self.id_token,
            session.ACCESS_COOKIE: self.access_token,
        }
        if refresh:
            parts[session.REFRESH_COOKIE] = self.refresh_token
        return "; ".join(f"{name}={value}" for name, value in parts.items())


def sign_in(who: str) -> Signed:
    tokens = users.directory().sign_in(EMAILS[who], PASSWORD)
    return Signed(tokens.id_token, tokens.access_token, tokens.refresh_token or "")


def moto_key() -> jwt.PyJWK:
    path = resources.files("moto") / "cognitoidp" / "resources" / "jwks-private.json.gz"
    return jwt.PyJWK(json.loads(gzip.decompress(path.read_bytes())))


def forged(claims: dict, **changes: object) -> str:
    """`claims` with `changes`, signed with the emulator's key (a genuine signature)."""
    return jwt.encode(
        {**claims, **changes}, moto_key().key, algorithm="RS256", headers={"kid": "dummy"}
    )


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def expired(token: str) -> str:
    now = int(time.time())
    return forged(claims_of(token), iat=now - 7200, exp=now - 3600)


def tampered(token: str) -> str:
    """The token with its payload changed (another tenant) and its signature kept."""
    header, _, signature = token.split(".")
    payload = jwt.utils.base64url_encode(
        json.dumps({**claims_of(token), "custom:tenant": TENANT_B}).encode()
    ).decode()
    return f"{header}.{payload}.{signature}"


def token_of_another_client(who: str) -> str:
    cognito = aws.client("cognito-idp")
    client = cognito.create_user_pool_client(
        UserPoolId=settings.cognito_user_pool_id(),
        ClientName="outro-app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "custom:tenant", "custom:role", "custom:stores"],
    )["UserPoolClient"]["ClientId"]
    answer = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAILS[who], "PASSWORD": PASSWORD},
    )
    return answer["AuthenticationResult"]["IdToken"]


def token_of_another_pool() -> str:
    """A rede admin of tenant A from another pool, naming our app client as its audience:
    moto signs every pool's tokens with one key, so only the issuer tells them apart."""
    from infra.staff_pool import CLIENT, POOL

    cognito = aws.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="outro-pool", **POOL)["UserPool"]["Id"]
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="painel", **CLIENT)
    client_id = client["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="intruso@rede-a.com.br",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "intruso@rede-a.com.br"},
            {"Name": "custom:tenant", "Value": TENANT_A},
            {"Name": "custom:role", "Value": "rede"},
        ],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="intruso@rede-a.com.br", Password=PASSWORD, Permanent=True
    )
    answer = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "intruso@rede-a.com.br", "PASSWORD": PASSWORD},
    )
    token = answer["AuthenticationResult"]["IdToken"]
    return forged(claims_of(token), aud=settings.cognito_client_id())


def csrf_of(body: bytes | str) -> str:
    text = body.decode() if isinstance(body, bytes) else body
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found, "the page has no CSRF field"
    return found.group(1)


def set_cookies(response) -> list[str]:
    value = response.headers.get("Set-Cookie") or response.headers.get("set-cookie") or []
    return [value] if isinstance(value, str) else list(value)


def cookie_value(response, name: str) -> str | None:
    for line in set_cookies(response):
        key, _, rest = line.partition("=")
        if key == name:
            return rest.split(";")[0]
    return None
