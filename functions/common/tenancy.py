"""What a request needs to know about its tenant: time zone, points program, the pepper
for customer ids. Read in one round trip (store.network.tenant_configuration), once per
warm Lambda for a short while (settings.config_cache_seconds), and on a cold request as
soon as the store's key names the tenant (prefetch); balance and redemption replace the
cached benefit rules with the ones they read fresh."""

from __future__ import annotations

import threading
from concurrent.futures import Future
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
            "zone": self.zone,
        }

    def redeem_threshold(self, now: datetime) -> int | None:
        """Points of the cheapest benefit in force: who reaches it "can redeem"."""
        return cheapest_points(list(self.benefits), self.today(now))


class _Loading:
    """A tenant being read: on the caller's thread when first asked for, or ahead of
    that on a thread of its own (prefetch)."""

    def __init__(self, tenant_id: str, pepper: Future[bytes | None] | None = None) -> None:
        self._tenant_id = tenant_id
        self._pepper = pepper
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._outcome: Tenant | BaseException | None = None

    def start(self) -> _Loading:
        self._thread = threading.Thread(target=self._run, name="tenant-prefetch", daemon=True)
        self._thread.start()
        return self

    def result(self) -> Tenant:
        if self._thread is not None:
            self._thread.join()
        else:
            with self._lock:
                if self._outcome is None:
                    self._run()
        outcome = self._outcome
        if isinstance(outcome, Tenant):
            return outcome
        raise outcome or RuntimeError("the tenant was not read")

    def _run(self) -> None:
        try:
            self._outcome = _load(self._tenant_id, self._pepper)
        except BaseException as error:  # raised again in the thread that asks for it
            self._outcome = error


_TENANTS: TtlCache[_Loading] = TtlCache(settings.config_cache_seconds)


def tenant(tenant_id: str) -> Tenant:
    try:
        return _TENANTS.get_or_load(tenant_id, lambda: _Loading(tenant_id)).result()
    except BaseException:
        _TENANTS.forget(tenant_id)  # a failed read is not kept
        raise


def prefetch(tenant_id: str, pepper: Future[bytes | None] | None = None) -> None:
    """Start reading the tenant on a thread unless it is cached or on its way: a cold
    request that has just learnt its tenant (from the store's key) then waits for the
    key's secret and for its tenant at the same time, not one after the other. `pepper`:
    the pepper as the key's own envelope gives it (None in it: open the tenant's)."""
    _TENANTS.get_or_load(tenant_id, lambda: _Loading(tenant_id, pepper).start())


def with_fresh_benefits(tenant: Tenant, item: object | None) -> Tenant:
    """The tenant with the benefit rules just read with the customer: where money is at
    stake (balance, redemption) a rule changed a moment ago already counts. `item` is what
    the read of `network.benefits_read` found."""
    return replace(tenant, benefits=network.benefits_read_from(item))


def forget_tenant(tenant_id: str) -> None:
    _TENANTS.forget(tenant_id)


def pepper_context(tenant_id: str) -> dict[str, str]:
    return {"tenant": tenant_id, "purpose": "customer-id-pepper"}


def opened_pepper(record: network.TenantProfile) -> bytes:
    """The tenant's own pepper, opened (a KMS Decrypt unless this process opened it)."""
    sealed = network.sealed_pepper(record)
    return sealing.open_sealed(sealed, pepper_context(record.tenant_id)).encode("utf-8")


def _load(tenant_id: str, given: Future[bytes | None] | None) -> Tenant:
    configuration = network.tenant_configuration(tenant_id)
    record = configuration.tenant
    pepper = given.result() if given is not None else None
    return Tenant(
        tenant_id=tenant_id,
        name=record.name,
        zone=ZoneInfo(record.timezone),
        program=configuration.program,
        pepper=pepper if pepper is not None else opened_pepper(record),
        benefits=configuration.benefits,
        messaging=configuration.messaging,
    )
