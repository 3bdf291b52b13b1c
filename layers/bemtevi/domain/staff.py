"""Who a dashboard user is and what they may see: the tenant, role and stores come from
claims of their Cognito user, never from a URL or a form."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bemtevi.errors import InvalidInput


class Role(StrEnum):
    NETWORK = "rede"
    """Network admin: everything of the tenant."""
    STORE = "loja"
    """Store manager: the named stores only."""
    SELLER = "vendedor"
    """Salesperson: their own tasks."""


MANAGERS = frozenset({Role.NETWORK, Role.STORE})


@dataclass(frozen=True)
class Manager:
    """A signed-in dashboard user, as their verified token says."""

    subject: str
    email: str
    tenant_id: str
    role: Role
    stores: frozenset[str] = frozenset()

    def sees_store(self, store_id: str) -> bool:
        return self.role is Role.NETWORK or store_id in self.stores

    def visible_stores(self, store_ids: Iterable[str]) -> list[str]:
        """The given stores this user may see, in the given order."""
        return [store_id for store_id in store_ids if self.sees_store(store_id)]

    @property
    def sees_network(self) -> bool:
        return self.role is Role.NETWORK


class NotAManager(ValueError):
    """A verified token whose claims do not make a dashboard user (no tenant, an unknown
    role, a store manager without stores)."""


TENANT_CLAIM = "custom:tenant"
ROLE_CLAIM = "custom:role"
STORES_CLAIM = "custom:stores"


def stores_claim(stores: Iterable[str]) -> str:
    """The stores as one custom attribute: ids joined by commas, sorted."""
    return ",".join(sorted(set(stores)))


def manager_from_claims(claims: Mapping[str, object]) -> Manager:
    """The dashboard user a verified ID token describes."""
    tenant_id = claims.get(TENANT_CLAIM)
    subject = claims.get("sub")
    email = claims.get("email") or claims.get("cognito:username")
    if not (isinstance(tenant_id, str) and tenant_id and isinstance(subject, str)):
        raise NotAManager("token without tenant or subject")
    try:
        role = Role(str(claims.get(ROLE_CLAIM)))
    except ValueError as error:
        raise NotAManager("token without a known role") from error
    raw_stores = claims.get(STORES_CLAIM)
    stores = frozenset(s for s in str(raw_stores or "").split(",") if s)
    if role is not Role.NETWORK and not stores:
        raise NotAManager("store role without stores")
    return Manager(subject, str(email or ""), tenant_id, role, stores)


def valid_scope(
    role: str, stores: Iterable[str], tenant_stores: Iterable[str]
) -> tuple[Role, tuple[str, ...]]:
    """A role and its stores as an invitation or a role change gives them: a network admin
    has no stores (they see all); a store manager or salesperson needs at least one, each
    an existing store of the tenant."""
    try:
        checked = Role(role)
    except ValueError:
        raise InvalidInput("invalid_role", "Use o papel rede, loja ou vendedor.", "role") from None
    wanted = tuple(sorted(set(stores)))
    if checked is Role.NETWORK:
        if wanted:
            raise InvalidInput(
                "stores_not_allowed",
                "O papel rede vê todas as lojas: não informe --store.",
                "store",
            )
        return checked, ()
    if not wanted:
        raise InvalidInput(
            "store_required", "Os papéis loja e vendedor precisam de ao menos uma --store.", "store"
        )
    unknown = sorted(set(wanted) - set(tenant_stores))
    if unknown:
        raise InvalidInput(
            "store_not_found", f"Loja não encontrada na rede: {', '.join(unknown)}.", "store"
        )
    return checked, wanted


def new_temporary_password() -> str:
    """A temporary password Cognito's policy accepts (upper, lower, digits; 16 characters),
    without look-alike characters, for a person to type once."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password
