"""A benefit created, changed or disabled with `bemtevi benefit ...` counts at the till at
once: balance and redemption read the benefit rules with the customer, in the same round
trip, instead of the tenant's context that a warm Lambda keeps for a minute.

The command runs in its own process, as ops run it: the Lambda (this process) keeps its
warm cache of the tenant."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bemtevi.domain.benefits import new_benefit, with_rule
from bemtevi.store import network as rules_store
from bemtevi.store.call_count import counting_dynamodb_calls
from bemtevi.store.transactions import Contention
from functions.network import benefit_rules
from tests.integration.test_redemptions import redemption
from tests.integration.test_sales import CPF, sale

BEMTEVI = Path(sys.executable).with_name("bemtevi")


def bemtevi(*argv: str) -> dict:
    """`bemtevi benefit ...` in another process, against the same (emulated) AWS."""
    result = subprocess.run(
        [BEMTEVI, "benefit", *argv, "--tenant", "rede-teste", "--json"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def offers(pos, warm: bool = True) -> dict:
    """The benefits the balance offers; with a warm Lambda, in one round trip."""
    with counting_dynamodb_calls() as calls:
        answer = pos.post("/v1/balance", {"cpf": CPF}).json_body
    if warm:
        assert calls == {"TransactGetItems": 1}
    return {b["id"]: (b["points"], b["value"], b["reason_code"]) for b in answer["benefits"]}


def redeem(pos, redemption_id: str, total: int = 5000):
    with counting_dynamodb_calls() as calls:
        response = pos.post("/v1/redemptions", redemption(redemption_id, total=total))
    if response.status_code == 201:
        assert calls == {"TransactGetItems": 1, "TransactWriteItems": 1}
    else:
        assert calls == {"TransactGetItems": 1}
    return response


def test_a_benefit_added_from_the_command_line_counts_at_once(pos):
    pos.post("/v1/sales", sale(total=30000, customer={"cpf": CPF}))
    assert offers(pos) == {}  # the Lambda's tenant context is warm, with no benefits
    refused = redeem(pos, "r-0")
    assert (refused.status_code, refused.json_body["error"]["code"]) == (422, "benefit_inactive")

    bemtevi("add", "--id", "dez", "--description", "R$ 10", "--points", "100", "--discount", "10")

    assert offers(pos) == {"dez": (100, 1000, None)}
    answer = redeem(pos, "r-1")
    assert answer.status_code == 201
    assert (answer.json_body["points_used"], answer.json_body["discount"]) == (100, 1000)
    assert answer.json_body["balance"] == 200


def test_a_benefit_changed_or_disabled_from_the_command_line_counts_at_once(pos):
    bemtevi("add", "--id", "dez", "--description", "R$ 10", "--points", "100", "--discount", "10")
    pos.post("/v1/sales", sale(total=30000, customer={"cpf": CPF}))
    assert offers(pos) == {"dez": (100, 1000, None)}  # warm: the tenant context has "dez"

    bemtevi(
        "add",
        "--id",
        "dez",
        "--description",
        "R$ 20",
        "--points",
        "100",
        "--discount",
        "20",
        "--minimum-purchase",
        "80",
    )
    assert offers(pos) == {"dez": (100, 2000, None)}
    refused = redeem(pos, "r-1", total=5000)
    assert refused.json_body["error"]["code"] == "below_minimum_purchase"
    answer = redeem(pos, "r-2", total=8000)
    assert (answer.status_code, answer.json_body["discount"]) == (201, 2000)

    bemtevi("disable", "--id", "dez")
    assert offers(pos) == {}
    refused = redeem(pos, "r-3", total=8000)
    assert (refused.status_code, refused.json_body["error"]["code"]) == (422, "benefit_inactive")


def test_two_changes_at_once_both_count(store):
    """The rules are one item: a change written meanwhile makes the other read again,
    instead of being overwritten."""

    def meanwhile(current):
        benefit_rules.add_benefit("rede-teste", "cinco", "R$ 5", 50, discount=500)
        return with_rule(current, new_benefit("dez", "R$ 10", 100, 1000))

    with pytest.raises(Contention):
        rules_store.change_benefits("rede-teste", meanwhile, datetime.now(UTC))
    benefit_rules.add_benefit("rede-teste", "dez", "R$ 10", 100, discount=1000)
    assert [b["id"] for b in benefit_rules.list_benefits("rede-teste")] == ["cinco", "dez"]
