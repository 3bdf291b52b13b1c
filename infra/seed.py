"""The demo network of the local stack: "Rede Demo" with three stores."""

import contextlib

from bemtevi.errors import Conflict
from functions import network

DEMO_TENANT = ("demo", "Rede Demo")
DEMO_STORES = [
    ("centro", "Loja Centro"),
    ("shopping", "Loja Shopping Ibirapuera"),
    ("bairro", "Loja Vila Mariana"),
]


def seed_demo_network() -> list[dict]:
    """Create the demo tenant and stores that are missing; returns the stores created in
    this run, with their secrets (shown once, like `bemtevi store add`)."""
    tenant_id, tenant_name = DEMO_TENANT
    with contextlib.suppress(Conflict):
        network.create_tenant(tenant_id, tenant_name)
    created = []
    for store_id, store_name in DEMO_STORES:
        try:
            created.append(network.add_store(tenant_id, store_id, store_name))
        except Conflict:
            continue
    return created
