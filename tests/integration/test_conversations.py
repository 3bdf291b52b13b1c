"""A customer's conversation items are erased on request (for the LGPD erasure), and
nothing else of the customer goes with them."""

from __future__ import annotations

from bemtevi.store.conversations import erase_conversations
from bemtevi.store.customers import find_by_id
from bemtevi.store.models import CustomersTable
from functions.messaging.replies import receive_sms
from tests.integration.messaging import REMINDER_DAY, TENANT, phone
from tests.integration.test_portal_and_opt_out import SMS_NUMBER, customer  # noqa: F401


def _sort_keys(customer_id: str) -> list[str]:
    partition = f"T#{TENANT}#C#{customer_id}"
    return sorted(item.sk for item in CustomersTable.query(partition))


def test_erasing_conversations_deletes_the_replies_and_keeps_the_rest(customer):  # noqa: F811
    for number, text in (("in-1", "Oi, tudo bem?"), ("in-2", "Qual meu saldo?")):
        notification = {
            "originationNumber": phone(1),
            "destinationNumber": SMS_NUMBER,
            "messageBody": text,
            "inboundMessageId": number,
        }
        assert receive_sms(notification, REMINDER_DAY) == "kept"
    before = _sort_keys(customer)
    assert [key for key in before if key.startswith("REPLY#")] == ["REPLY#in-1", "REPLY#in-2"]

    assert erase_conversations(TENANT, customer) == 2

    after = _sort_keys(customer)
    assert after == [key for key in before if not key.startswith("REPLY#")]
    assert "CUSTOMER" in after
    assert find_by_id(TENANT, customer) is not None
    assert erase_conversations(TENANT, customer) == 0


def test_sms_receive_injects_an_inbound_sms_through_the_sns_path(customer, capsys):  # noqa: F811
    from cli.main import main

    argv = ["sms", "receive", "--tenant", TENANT, "--from", phone(1), "--text", "Oi!"]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == "resposta guardada"
    assert main([*argv[:-1], "SAIR", "--json"]) == 0
    assert '"outcome": "opted_out"' in capsys.readouterr().out
    assert find_by_id(TENANT, customer).opted_out() == {"sms"}
    texts = sorted(item.text for item in CustomersTable.query(
        f"T#{TENANT}#C#{customer}", CustomersTable.sk.startswith("REPLY#")))  # fmt: skip
    assert texts == ["Oi!", "SAIR"]


def test_a_reply_is_routed_to_the_store_of_the_last_purchase(customer):  # noqa: F811
    from datetime import timedelta

    from functions.common.auth import StoreIdentity
    from functions.loyalty.sales import record_sale
    from functions.network import stores

    def reply(number: str) -> str | None:
        notification = {
            "originationNumber": phone(1),
            "destinationNumber": SMS_NUMBER,
            "messageBody": "Oi",
            "inboundMessageId": number,
        }
        assert receive_sms(notification, REMINDER_DAY) == "kept"
        partition = f"T#{TENANT}#C#{customer}"
        return CustomersTable.get(partition, f"REPLY#{number}").store_id

    assert reply("in-1") == "loja-1"
    key = stores.add_store(TENANT, "loja-2", "Loja Norte")["key_id"]
    at = REMINDER_DAY - timedelta(days=1)
    sale = {"sale_id": "v-norte", "occurred_at": at.isoformat(), "total": 5000}
    record_sale(
        StoreIdentity(TENANT, "loja-2", key), {**sale, "customer": {"phone": phone(1)}}, now=at
    )
    assert find_by_id(TENANT, customer).last_store == "loja-2"
    assert reply("in-2") == "loja-2"
