"""The emulated AWS (infra/emulator.py) keeps only what its tables store, and a cancelled
transaction still leaves the tables as they were."""

import gc

import boto3
import pytest
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import Item

from bemtevi import settings

TABLE = settings.table_name("customers")


@pytest.fixture
def dynamodb(aws):
    return boto3.client("dynamodb")


def _put(pk: str, sk: str, **attributes: str) -> dict:
    values = {name: {"S": value} for name, value in attributes.items()}
    return {"Put": {"TableName": TABLE, "Item": {"pk": {"S": pk}, "sk": {"S": sk}, **values}}}


def _stored_items() -> int:
    return sum(
        len(partition) if isinstance(partition, dict) else 1
        for regions in dynamodb_backends.values()
        for backend in regions.values()
        for table in backend.tables.values()
        for partition in table.items.values()
    )


def _live_items() -> int:
    gc.collect()
    return sum(isinstance(thing, Item) for thing in gc.get_objects())


def test_write_transactions_leave_no_copies_behind(dynamodb):
    for n in range(40):
        dynamodb.transact_write_items(
            TransactItems=[_put(f"C#{n}", "PROFILE", name="Maria"), _put(f"C#{n}", "LOT#1")]
        )
    assert _stored_items() >= 80
    assert _live_items() - _stored_items() < 10


def test_a_cancelled_transaction_restores_every_item_it_named(dynamodb):
    dynamodb.transact_write_items(TransactItems=[_put("C#1", "PROFILE", name="Maria")])
    update = {
        "Update": {
            "TableName": TABLE,
            "Key": {"pk": {"S": "C#1"}, "sk": {"S": "PROFILE"}},
            "UpdateExpression": "SET #n = :n",
            "ExpressionAttributeNames": {"#n": "name"},
            "ExpressionAttributeValues": {":n": {"S": "Joana"}},
        }
    }
    refused = _put("C#2", "PROFILE", name="Ana")
    refused["Put"]["ConditionExpression"] = "attribute_exists(pk)"
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[update, _put("C#1", "LOT#1", points="10"), refused]
        )
    profile = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "C#1"}, "sk": {"S": "PROFILE"}})
    lot = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "C#1"}, "sk": {"S": "LOT#1"}})
    assert profile["Item"]["name"] == {"S": "Maria"}
    assert "Item" not in lot
    partition = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "C#1"}},
    )
    assert partition["Count"] == 1
