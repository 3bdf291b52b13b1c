"""Settings read from the environment, the same way in Lambda, `chalice local` and tests.

AWS endpoints, region and credentials are not settings of ours: boto3 and PynamoDB read
the standard variables (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, ...), so the local stack is
just another endpoint.
"""

import os

DEFAULT_TIMEZONE = "America/Sao_Paulo"
SIGNATURE_TOLERANCE_SECONDS = 300


def stage() -> str:
    return os.environ.get("BEMTEVI_STAGE", "dev")


def table_name(logical_name: str) -> str:
    """Physical DynamoDB table name: one set of tables per stage."""
    return f"bemtevi-{stage()}-{logical_name}"


def kms_key_id() -> str:
    """The KMS key that seals store secrets: an alias, so a key rotation needs no deploy."""
    return os.environ.get("BEMTEVI_KMS_KEY_ID", f"alias/bemtevi-{stage()}")


def config_cache_seconds() -> float:
    """How long a warm Lambda reuses a store key or a tenant's program before reading it
    again: a retired secret or a program change takes effect within this time."""
    return float(os.environ.get("BEMTEVI_CONFIG_CACHE_SECONDS", "60"))


def public_url() -> str:
    """Where customers reach the portal (`/l/<code>` links in messages)."""
    return os.environ.get("BEMTEVI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def queue_name(purpose: str) -> str:
    """SQS queues per stage: `jobs` (job fan-out) and `dlq` (what keeps failing)."""
    return f"bemtevi-{stage()}-{purpose}"


def inbound_sms_topic() -> str:
    return f"bemtevi-{stage()}-inbound-sms"


def staff_pool_name() -> str:
    """The Cognito user pool of the dashboard's users, one per stage."""
    return f"bemtevi-{stage()}-staff"


def staff_client_name() -> str:
    """The dashboard's app client in the staff pool."""
    return f"bemtevi-{stage()}-painel"


def cognito_user_pool_id() -> str:
    """The staff user pool's id (an output of the stateful stack; the local stack sets it)."""
    return os.environ.get("BEMTEVI_COGNITO_POOL_ID", "")


def cognito_client_id() -> str:
    """The dashboard's app client in the staff pool."""
    return os.environ.get("BEMTEVI_COGNITO_CLIENT_ID", "")


def cognito_region() -> str:
    return os.environ.get("BEMTEVI_COGNITO_REGION") or os.environ.get(
        "AWS_DEFAULT_REGION", "sa-east-1"
    )


def cognito_issuer() -> str:
    """The `iss` of the pool's tokens. Real Cognito and moto both use the AWS form."""
    default = f"https://cognito-idp.{cognito_region()}.amazonaws.com/{cognito_user_pool_id()}"
    return os.environ.get("BEMTEVI_COGNITO_ISSUER", default)


def cognito_jwks_url() -> str:
    """Where the pool's signing keys are published: `<issuer>/.well-known/jwks.json` in
    AWS; with a local endpoint (moto), `<endpoint>/<pool id>/.well-known/jwks.json`."""
    explicit = os.environ.get("BEMTEVI_COGNITO_JWKS_URL")
    if explicit:
        return explicit
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    base = f"{endpoint.rstrip('/')}/{cognito_user_pool_id()}" if endpoint else cognito_issuer()
    return f"{base}/.well-known/jwks.json"
