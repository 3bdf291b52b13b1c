"""50 sales, each delivered 4 times, in random order and at the same time: each earns once."""

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bemtevi.store.customers import ledger
from bemtevi.store.models import CustomerRecord, DayCounterRecord
from functions.common.auth import StoreIdentity
from functions.loyalty.sales import record_sale

CUSTOMERS = ["52998224725", "11144477735", "16899535009", "39053344705", "71428793860"]


def test_each_sale_credits_exactly_once(store):
    caller = StoreIdentity("rede-teste", "loja-1", store["key_id"])
    now = datetime.now(UTC)
    sales = [
        {
            "sale_id": f"v-{n}",
            "occurred_at": now.isoformat(),
            "total": 1000 + n * 100,
            "customer": {"cpf": CUSTOMERS[n % len(CUSTOMERS)]},
        }
        for n in range(50)
    ]
    deliveries = [sale for sale in sales for _ in range(4)]
    random.Random(7).shuffle(deliveries)
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda sale: record_sale(caller, sale), deliveries))

    by_sale: dict[str, list] = {}
    for delivered, answer in zip(deliveries, answers, strict=True):
        by_sale.setdefault(delivered["sale_id"], []).append(answer)
    for sale_id, copies in by_sale.items():
        assert len({str(copy.body) for copy in copies}) == 1, sale_id

    expected = {cpf: 0 for cpf in CUSTOMERS}
    for n, sale in enumerate(sales):
        expected[CUSTOMERS[n % len(CUSTOMERS)]] += sale["total"] // 100
    customer_ids = {answer.body["customer_id"] for answer in answers}
    balances = sorted(
        CustomerRecord.get(*CustomerRecord.keys("rede-teste", cid)).balance for cid in customer_ids
    )
    assert balances == sorted(expected.values())
    entries = [e for cid in customer_ids for e in ledger("rede-teste", cid)]
    assert len(entries) == 50
    day = now.astimezone(__import__("zoneinfo").ZoneInfo("America/Sao_Paulo")).date().isoformat()
    assert DayCounterRecord.get(*DayCounterRecord.keys("rede-teste", "loja-1", day)).sales == 50
