"""infra/stateful.json is generated from the PynamoDB models; deployed, it makes the same
tables the models describe."""

import subprocess
import sys
from pathlib import Path

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from bemtevi import aws as aws_clients
from bemtevi.store.models import TABLES
from infra.deploy import deploy_stateful_stack
from infra.template import TEMPLATE_PATH, rendered, table_resource

VENV_BIN = Path(sys.executable).parent


def test_the_committed_template_is_the_generated_one():
    assert TEMPLATE_PATH.read_text() == rendered(), (
        "infra/stateful.json is stale: run `python -m infra.template > infra/stateful.json`"
    )


def test_the_template_passes_cfn_lint():
    result = subprocess.run(
        [VENV_BIN / "cfn-lint", str(TEMPLATE_PATH)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _shape(description: dict) -> dict:
    return {
        "keys": sorted((k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]),
        "attributes": sorted(
            (a["AttributeName"], a["AttributeType"]) for a in description["AttributeDefinitions"]
        ),
        "indexes": sorted(
            (
                index["IndexName"],
                tuple(sorted((k["AttributeName"], k["KeyType"]) for k in index["KeySchema"])),
                index["Projection"]["ProjectionType"],
            )
            for index in description.get("GlobalSecondaryIndexes", [])
        ),
    }


def test_the_deployed_stack_has_the_tables_of_the_models(aws):
    stack = deploy_stateful_stack("tpl")
    assert stack["status"] == "CREATE_COMPLETE"
    dynamodb = aws_clients.client("dynamodb")
    for logical_name, model in TABLES.items():
        deployed = dynamodb.describe_table(TableName=f"bemtevi-tpl-{logical_name}")["Table"]
        local = dynamodb.describe_table(TableName=model.Meta.table_name)["Table"]
        assert _shape(deployed) == _shape(local)
        assert deployed["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert deploy_stateful_stack("tpl")["status"] == "CREATE_COMPLETE"  # a rerun changes nothing


class _ByEmail(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class _Expiring(Model):
    class Meta:
        table_name = "expiring"

    pk = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    by_email = _ByEmail()
    expires = TTLAttribute()


def test_indexes_and_ttl_of_a_model_reach_the_template():
    properties = table_resource("expiring", _Expiring)["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
    assert properties["GlobalSecondaryIndexes"] == [
        {
            "IndexName": "by-email",
            "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    ]
    assert {"AttributeName": "email", "AttributeType": "S"} in properties["AttributeDefinitions"]
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
