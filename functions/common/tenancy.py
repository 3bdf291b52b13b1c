"""What a request needs to know about its tenant: time zone, points program, the pepper
for customer ids. Read once per warm Lambda for a short while (settings.config_cache_seconds);
balance and redemption replace the cached benefit rules with the ones they read fresh."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain.benefits import Benefit, cheapest_points
from bemtevi.domain.messaging import MessagingRules
from bemtevi.domain.program import ProgramRules
from bemtevi.security import sealing
from bemtevi.store import network
from bemtevi.ttl_cache import TtlCache


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    zone: ZoneInfo
    program: ProgramRules
    pepper: bytes
    benefits: tuple[Benefit, ...] = ()
    messaging: MessagingRules = field(default_factory=MessagingRules)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def points_indexes(self, now: datetime) -> dict:
        """What `customers.with_points` needs to keep the sparse indexes right."""
        return {
            "threshold": self.redeem_threshold(now),
            "warning_days": self.messaging.expiry_warning_days,
            "now": now,
        }

    def redeem_threshold(self, now: datetime) -> int | None:
        """Points of the cheapest benefit in force: who reaches it "can redeem"."""
        return cheapest_points(list(self.benefits), self.today(now))


_TENANTS: TtlCache[Tenant] = TtlCache(settings.config_cache_seconds)


def tenant(tenant_id: str) -> Tenant:
    return _TENANTS.get_or_load(tenant_id, lambda: _load(tenant_id))


def with_fresh_benefits(tenant: Tenant, item: object | None) -> Tenant:
    """The tenant with the benefit rules just read with the customer: where money is at
    stake (balance, redemption) a rule changed a moment ago already counts. `item` is what
    the read of `network.benefits_read` found."""
    return replace(tenant, benefits=network.benefits_read_from(item))


def forget_tenant(tenant_id: str) -> None:
    _TENANTS.forget(tenant_id)


def pepper_context(tenant_id: str) -> dict[str, str]:
    return {"tenant": tenant_id, "purpose": "customer-id-pepper"}


def _load(tenant_id: str) -> Tenant:
    record = network.get_tenant(tenant_id)
    pepper = sealing.open_sealed(network.sealed_pepper(record), pepper_context(tenant_id))
    return Tenant(
        tenant_id=tenant_id,
        name=record.name,
        zone=ZoneInfo(record.timezone),
        program=network.program_rules(network.get_program(tenant_id)),
        pepper=pepper.encode("utf-8"),
        benefits=tuple(network.benefits(tenant_id)),
        messaging=network.messaging_rules(tenant_id)[0],
    )
