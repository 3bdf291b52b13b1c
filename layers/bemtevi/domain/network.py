"""Rules for tenants (redes), stores (lojas) and their POS credentials."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from bemtevi.errors import Conflict, InvalidInput

_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
MAX_NAME_LENGTH = 120
MAX_SECRETS_PER_KEY = 2


def valid_id(value: str, field: str) -> str:
    """Tenant and store ids travel in keys, URLs and file names: lower-case and short."""
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidInput(
            "invalid_id",
            "Use de 1 a 40 caracteres: letras minúsculas, números e hífen "
            "(sem hífen no início ou no fim).",
            field,
        )
    return value


def valid_name(value: str, field: str = "name") -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            "invalid_name", f"Informe um nome de 1 a {MAX_NAME_LENGTH} caracteres.", field
        )
    return name


def valid_timezone(value: str, field: str = "timezone") -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "invalid_timezone", "Fuso horário desconhecido (ex.: America/Sao_Paulo).", field
        ) from None
    return value


def new_key_id() -> str:
    return "bk_" + secrets.token_hex(10)


def new_secret() -> str:
    return "bs_" + secrets.token_urlsafe(32)


def new_pepper() -> str:
    """The tenant's secret for hashing CPFs and phones into customer ids and look-up keys."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SecretVersion:
    """One generation of a store's secret; the clear secret never lives here."""

    version: int
    created_at: datetime


def after_rotation(current: list[SecretVersion], created_at: datetime) -> list[SecretVersion]:
    """A rotation adds a secret; old and new both sign until the old one is retired."""
    if len(current) >= MAX_SECRETS_PER_KEY:
        raise Conflict(
            "rotation_in_progress",
            "Já existe uma troca de segredo em andamento: aposente o segredo antigo "
            "antes de gerar outro.",
            "secret",
        )
    version = max((item.version for item in current), default=0) + 1
    return [*current, SecretVersion(version, created_at)]


def after_retiring_old(current: list[SecretVersion]) -> list[SecretVersion]:
    """Retiring keeps only the newest secret."""
    if len(current) < MAX_SECRETS_PER_KEY:
        raise Conflict(
            "no_rotation_in_progress",
            "Não há segredo antigo para aposentar: a loja tem um único segredo.",
            "secret",
        )
    return [max(current, key=lambda item: item.version)]
