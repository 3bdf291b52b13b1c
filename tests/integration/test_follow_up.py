"""Issue 16's acceptance, scripted on moto: three salespeople, buyers of yesterday and of
7 days ago, two birthdays, one opted-out customer; the lists (hand-computed), the
click-to-chat links, the call log and the manager's counters."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from bemtevi.errors import Conflict
from bemtevi.store.models import CustomerRecord
from functions.team import sellers, tasks

ZONE = ZoneInfo("America/Sao_Paulo")
TODAY = datetime.now(ZONE).date()


def at(days_ago: int) -> str:
    moment = datetime.combine(TODAY - timedelta(days=days_ago), time(12), ZONE)
    return moment.isoformat(timespec="seconds")


def buy(pos, sale_id, days_ago, total, seller, phone, name, birthday=None) -> dict:
    customer = {"phone": phone, "name": name}
    if birthday:
        customer["birthday"] = birthday
    body = {"sale_id": sale_id, "occurred_at": at(days_ago), "total": total,
            "seller": {"code": seller}, "customer": customer}  # fmt: skip
    answer = pos.post("/v1/sales", body)
    assert answer.status_code == 201, answer.json_body
    return answer.json_body


def born_today() -> str:
    return f"1990-{TODAY:%m-%d}" if f"{TODAY:%m-%d}" != "02-29" else "1992-02-29"


def test_daily_lists_call_log_and_counters(pos, store):
    tenant = "rede-teste"
    for code, name in (("V1", "Vera"), ("V2", "Vitor"), ("V3", "Vânia")):
        sellers.add_seller(tenant, "loja-1", code, name)
    ana = buy(pos, "s1", 1, 200_00, "V1", "(11) 98765-0001", "Ana Lima")
    buy(pos, "s2", 1, 50_00, "V2", "(11) 98765-0002", "Bia")
    buy(pos, "s3", 7, 300_00, "V3", "(11) 98765-0003", "Caio")
    duda = buy(pos, "s4", 7, 80_00, "V1", "(11) 98765-0004", "Duda")
    buy(pos, "s5", 30, 40_00, "V9", "(11) 98765-0005", "Eva", born_today())
    buy(pos, "s6", 20, 120_00, "V2", "(11) 98765-0006", "Fábio", born_today())
    buy(pos, "s7", 3, 999_00, "V1", "(11) 98765-0007", "Gil")
    CustomerRecord.get(*CustomerRecord.keys(tenant, duda["customer_id"])).update(
        actions=[CustomerRecord.whatsapp_opted_out_at.set(datetime.now(UTC))]
    )

    result = tasks.run(tenant, TODAY)
    assert (result["read"], result["made"], result["already"]) == (6, 6, 0)
    assert tasks.run(tenant, TODAY)["made"] == 0

    def names(seller: str) -> list[tuple[str, str, bool]]:
        found = tasks.list_for(tenant, "loja-1", seller, TODAY)
        return [(i["first_name"], i["reason"], i["opted_out"]) for i in found]

    assert names("V1") == [("Ana", "thanks", False), ("Duda", "check_in", True)]
    assert names("V2") == [("Fábio", "birthday", False), ("Bia", "thanks", False)]
    assert names("V3") == [("Caio", "check_in", False)]
    assert names("_loja") == [("Eva", "birthday", False)]

    first, opted = tasks.list_for(tenant, "loja-1", "V1", TODAY)
    assert first["message"].startswith(
        "Oi, Ana! Obrigado pela compra ontem na loja-1. Você tem 200 pontos. Veja: "
    )
    assert "/l/" in first["message"]
    assert first["whatsapp"] == "https://wa.me/5511987650001?text=" + quote(
        first["message"], safe=""
    )
    assert first["tel"] == "tel:+5511987650001"
    assert first["balance"] == ana["balance"]
    assert (opted["notice"], opted["whatsapp"], opted["message"]) == ("não enviar mensagem", "", "")

    now = datetime.now(UTC)
    logged = tasks.record_outcome(
        tenant, "loja-1", "V1", TODAY.isoformat(), ana["customer_id"], "whatsapp", " ok ", now
    )
    assert logged["outcome"] == "whatsapp"
    tasks.record_outcome(
        tenant, "loja-1", "V1", TODAY.isoformat(), duda["customer_id"], "no_answer", "", now
    )
    with pytest.raises(Conflict):
        tasks.record_outcome(
            tenant, "loja-1", "V1", TODAY.isoformat(), ana["customer_id"], "phone", "", now
        )
    day = TODAY.isoformat()
    assert tasks.report(tenant, "loja-1", day, day) == [
        {"seller": "V1", "made": 2, "done": 2, "reached": 1},
        {"seller": "V2", "made": 2, "done": 0, "reached": 0},
        {"seller": "V3", "made": 1, "done": 0, "reached": 0},
        {"seller": "_loja", "made": 1, "done": 0, "reached": 0},
    ]
    tomorrow = tasks.list_for(tenant, "loja-1", "V2", TODAY + timedelta(days=1))
    assert [(i["first_name"], i["overdue"]) for i in tomorrow] == [("Fábio", True), ("Bia", True)]
    assert tasks.list_for(tenant, "loja-1", "V2", TODAY + timedelta(days=3)) == []
