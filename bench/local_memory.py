"""Memory of the local stack under sales: resident set size of a process that runs moto
server (the local stack's AWS) and the app, before and after 5,000 signed sales.

Before the fix the emulated AWS kept a copy of whole tables per write transaction (about
1.4 MB a sale after a few thousand); now it grows by what it stores. The sales come from
1,000 returning customers of one store (every customer buys five times), one in ten
anonymous, as a store's week does; the first 200 sales warm the process up (imports,
caches) and are not counted. Linux only (reads /proc/self/status).

Last line: rss_growth_mb_per_1000_sales=<x>
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from datetime import UTC, datetime, timedelta

from local_aws import emulated_aws, signed_post

WARM_UP = 200
SALES = 5_000
CUSTOMERS = 1_000


def main() -> None:
    with emulated_aws():
        run()


def run() -> None:
    from chalice.test import Client
    from validate_docbr import CPF

    from app import app
    from functions.network import stores

    stores.create_tenant("bench", "Rede Bench")
    store = stores.add_store("bench", "centro", "Centro")
    cpfs = CPF().generate_list(CUSTOMERS, repeat=False)
    occurred_at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()

    def sale(n: int) -> dict:
        body = {"sale_id": f"v-{n}", "occurred_at": occurred_at, "total": 5000 + n % 997}
        if n % 10:
            body["customer"] = {"cpf": cpfs[n % CUSTOMERS], "name": f"Cliente {n % CUSTOMERS}"}
        return body

    # The app logs a line per request and the metrics flush: keep stdout for the figures.
    with Client(app) as client, contextlib.redirect_stdout(sys.stderr):
        for n in range(WARM_UP):
            signed_post(client, store, "/v1/sales", sale(n))
        before = resident_mb()
        started = time.perf_counter()
        for n in range(WARM_UP, WARM_UP + SALES):
            signed_post(client, store, "/v1/sales", sale(n))
        seconds = time.perf_counter() - started
        after = resident_mb()

    growth = (after - before) / SALES * 1000
    print(f"sales={SALES} customers={CUSTOMERS} ms_per_sale={seconds / SALES * 1000:.1f}")
    print(f"rss_before_mb={before:.1f} rss_after_mb={after:.1f}")
    print(f"rss_growth_mb_per_1000_sales={growth:.2f}")


def resident_mb() -> float:
    """The process's resident set size now, after a full collection."""
    gc.collect()
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


if __name__ == "__main__":
    main()
