"""The demo network of the local stack: "Rede Demo" with three stores."""

import contextlib
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain.staff import new_temporary_password
from bemtevi.errors import Conflict
from functions.dashboard import users
from functions.messaging import configuration
from functions.network import benefit_rules, products, stores

DEMO_TENANT = ("demo", "Rede Demo")
DEMO_STORES = [
    ("centro", "Loja Centro"),
    ("shopping", "Loja Shopping Ibirapuera"),
    ("bairro", "Loja Vila Mariana"),
]


DEMO_PRODUCTS = [
    {
        "sku": "MAMAD-260",
        "name": "Mamadeira 260 ml",
        "category": "acessorios",
        "price": 10010,
        "cost": 5200,
    },
]
DEMO_BENEFITS: list[dict[str, Any]] = [
    {
        "benefit_id": "desconto-10",
        "description": "R$ 10,00 de desconto em compras acima de R$ 50,00",
        "points": 100,
        "discount": 1000,
        "minimum_purchase": 5000,
    },
    {
        "benefit_id": "mamadeira",
        "description": "Uma mamadeira 260 ml",
        "points": 500,
        "sku": "MAMAD-260",
    },
]


DEMO_MESSAGING = {
    "channels": ["whatsapp", "sms", "email"],
    "whatsapp_phone_number_id": "phone-number-id-demo",
    "sms_number": "+5511900000000",
}


def seed_demo_network() -> list[dict]:
    """Create the demo tenant, stores, a product and two benefits where missing; returns
    the stores created in this run, with their secrets (shown once, like `bemtevi store
    add`)."""
    tenant_id, tenant_name = DEMO_TENANT
    with contextlib.suppress(Conflict):
        stores.create_tenant(tenant_id, tenant_name)
    created = []
    for store_id, store_name in DEMO_STORES:
        try:
            created.append(stores.add_store(tenant_id, store_id, store_name))
        except Conflict:
            continue
    for product in DEMO_PRODUCTS:
        products.add_product(tenant_id, product)
    for benefit in DEMO_BENEFITS:
        benefit_rules.add_benefit(tenant_id, **benefit)
    configuration.set_messaging(tenant_id, **DEMO_MESSAGING)
    return created


DEMO_CPFS = ("80217653995", "61309485739")  # not the walkthrough's customers


def seed_demo_sales(now: datetime | None = None) -> dict:
    """A few sales at each demo store on every day of this month so far (tenant time),
    posted at their own time through the POS's function (a rerun replays them), then
    the nightly roll-up through yesterday: Início shows this month's figures at once."""
    from functions.common.auth import StoreIdentity
    from functions.loyalty.sales import record_sale
    from functions.reporting import rollup

    tenant_id, _ = DEMO_TENANT
    now = now or datetime.now(UTC)
    zone = ZoneInfo(settings.DEFAULT_TIMEZONE)
    today = now.astimezone(zone).date()
    for day in range(1, today.day + 1):
        at = datetime(today.year, today.month, day, 0, 5, tzinfo=zone)
        if at > now:
            continue
        for number, (store_id, _) in enumerate(DEMO_STORES):
            caller = StoreIdentity(tenant_id, store_id, "")
            cpf = DEMO_CPFS[(day + number) % len(DEMO_CPFS)]
            for sale, customer in ((1, {"cpf": cpf}), (2, None)):
                payload = {
                    "sale_id": f"demo-{at.date().isoformat()}-{sale}",
                    "occurred_at": at.isoformat(),
                    "total": 4_990 * (number + sale + day % 3),
                }
                record_sale(caller, payload | ({"customer": customer} if customer else {}), at)
    return rollup.on_demand(tenant_id, now=now)


DEMO_USERS = [
    ("rede@demo.bemtevi.com.br", "rede", ()),
    ("centro@demo.bemtevi.com.br", "loja", ("centro",)),
]


def seed_demo_users() -> list[dict]:
    """The demo network's admin and the manager of its `centro` store, with permanent
    passwords (returned: the banner prints them); those that exist are left alone."""
    tenant_id, _ = DEMO_TENANT
    created = []
    for email, role, store_ids in DEMO_USERS:
        try:
            user = users.invite(tenant_id, email, role, store_ids)
        except Conflict:
            continue
        password = new_temporary_password()
        users.directory().set_password(email, password)
        created.append({**user, "password": password})
    return created
