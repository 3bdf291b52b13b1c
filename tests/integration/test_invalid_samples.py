"""Every invalid sample in events/requests/invalid gets its 4xx and writes nothing. A sample
holds its body as JSON (`body`) or, for what a parsed object cannot show, as text (`raw`)."""

import json
from pathlib import Path

import boto3
import pytest

from tests.integration.test_sales import sale

SAMPLES = sorted((Path(__file__).parents[2] / "events" / "requests" / "invalid").glob("*.json"))
VALID = sorted((Path(__file__).parents[2] / "events" / "requests").glob("*.json"))


def everything_stored() -> dict:
    """Test-only look at the whole of each (small) table."""
    client = boto3.client("dynamodb")
    return {
        table: sorted(
            json.dumps(item, sort_keys=True, default=repr)
            for item in client.scan(TableName=table)["Items"]
        )
        for table in client.list_tables()["TableNames"]
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_an_invalid_sample_is_refused_and_writes_nothing(pos, sample):
    pos.post("/v1/sales", sale("PDV01-000123", customer={"cpf": "52998224725"}))
    before = everything_stored()
    case = json.loads(sample.read_text())
    if "raw" in case:  # what a JSON object cannot hold: repeated keys, lone surrogates...
        response = pos.post(case["path"], raw=case["raw"].encode())
    else:
        response = pos.post(case["path"], case["body"])
    assert response.status_code == case["expect"]["status"]
    error = response.json_body["error"]
    assert (error["code"], error["field"]) == (case["expect"]["code"], case["expect"]["field"])
    assert error["message"]
    assert everything_stored() == before


def test_the_valid_samples_are_accepted(pos):
    from functions.network import benefit_rules, products
    from infra.seed import DEMO_BENEFITS, DEMO_PRODUCTS

    for product in DEMO_PRODUCTS:
        products.add_product("rede-teste", product)
    for benefit in DEMO_BENEFITS:
        benefit_rules.add_benefit("rede-teste", **benefit)
    paths = {
        "sale.json": "/v1/sales",
        "sale-anonymous.json": "/v1/sales",
        "balance.json": "/v1/balance",
        "redemption.json": "/v1/redemptions",
        "sale-cancel-partial.json": "/v1/sales/PDV01-000123/cancel",
        "sale-cancel-full.json": "/v1/sales/PDV01-000123/cancel",
        "customer.json": "/v1/customers",
        "customers-batch.json": "/v1/customers/batch",
        "products-batch.json": "/v1/products/batch",
    }
    assert sorted(paths) == sorted(path.name for path in VALID)
    for name, path in paths.items():
        response = pos.post(path, json.loads((VALID[0].parent / name).read_text()))
        assert response.status_code in (200, 201), (name, response.json_body)
