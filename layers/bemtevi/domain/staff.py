"""Who a dashboard user is and what they may see: the tenant, role and stores come from
claims of their Cognito user, never from a URL or a form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


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
