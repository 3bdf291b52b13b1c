"""The staff user pool and the dashboard's app client, described once: the stateful
template (infra/template.py) and the local bootstrap (infra/bootstrap.py) create the same
thing. Tenant, role and stores are custom attributes the app client reads but cannot
write, so a signed-in user cannot widen their own scope; only administrators (the
`bemtevi user` commands) create users."""

from __future__ import annotations

from typing import Any

from bemtevi import aws, settings
from bemtevi.staff.cognito import find_app_client, find_pool

CUSTOM_ATTRIBUTES = ("tenant", "role", "stores")

POOL: dict[str, Any] = {
    "Schema": [
        {
            "Name": name,
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
        }
        for name in CUSTOM_ATTRIBUTES
    ],
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireLowercase": True,
            "RequireUppercase": True,
            "RequireNumbers": True,
            "RequireSymbols": False,
            "TemporaryPasswordValidityDays": 7,
        }
    },
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
    "AutoVerifiedAttributes": ["email"],
}

CLIENT: dict[str, Any] = {
    "GenerateSecret": False,
    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "ReadAttributes": ["email", *(f"custom:{name}" for name in CUSTOM_ATTRIBUTES)],
    "WriteAttributes": ["name"],
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "AccessTokenValidity": 60,
    "IdTokenValidity": 60,
    "RefreshTokenValidity": 12,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"},
}


def ensure_staff_pool() -> tuple[str, str]:
    """Find or create the stage's pool and app client (by name: an admin tool's list, not
    a request path); returns (pool id, client id)."""
    cognito = aws.client("cognito-idp")
    pool_id = find_pool(cognito)
    if pool_id is None:
        pool_id = cognito.create_user_pool(PoolName=settings.staff_pool_name(), **POOL)["UserPool"][
            "Id"
        ]
    client_id = find_app_client(cognito, pool_id)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName=settings.staff_client_name(), **CLIENT
        )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def template_resources() -> dict[str, dict]:
    """The CloudFormation resources of the pool and its client."""
    retain = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    return {
        "StaffUserPool": {
            "Type": "AWS::Cognito::UserPool",
            **retain,
            "Properties": {
                "UserPoolName": {"Fn::Sub": "bemtevi-${Stage}-staff"},
                "DeletionProtection": "ACTIVE",
                **POOL,
            },
        },
        "StaffUserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "ClientName": {"Fn::Sub": "bemtevi-${Stage}-painel"},
                "UserPoolId": {"Ref": "StaffUserPool"},
                **CLIENT,
            },
        },
    }
