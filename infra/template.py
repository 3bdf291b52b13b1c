"""The stateful CloudFormation template, generated from the PynamoDB models so that the
tables in AWS cannot drift from the code. `infra/stateful.json` is this module's output,
committed for review and for `cfn-lint`; a test fails when the two differ.

    python -m infra.template > infra/stateful.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from bemtevi.store.models import TABLES
from infra.staff_pool import template_resources

TEMPLATE_PATH = Path(__file__).with_name("stateful.json")
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def stateful_template() -> dict:
    resources: dict[str, dict] = {}
    outputs: dict[str, dict] = {}
    for logical_name, model in TABLES.items():
        resource_id = _pascal(logical_name) + "Table"
        resources[resource_id] = table_resource(logical_name, model)
        outputs[resource_id] = {"Value": {"Ref": resource_id}}
    resources.update(_secrets_key())
    resources["DeadLetterQueue"] = {
        "Type": "AWS::SQS::Queue",
        **RETAIN,
        "Properties": {
            "QueueName": {"Fn::Sub": "bemtevi-${Stage}-dlq"},
            "MessageRetentionPeriod": 1209600,
            "SqsManagedSseEnabled": True,
        },
    }
    resources["JobsQueue"] = {
        "Type": "AWS::SQS::Queue",
        **RETAIN,
        "Properties": {
            "QueueName": {"Fn::Sub": "bemtevi-${Stage}-jobs"},
            "VisibilityTimeout": 960,
            "SqsManagedSseEnabled": True,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
                "maxReceiveCount": 5,
            },
        },
    }
    resources["InboundSmsTopic"] = {
        "Type": "AWS::SNS::Topic",
        **RETAIN,
        "Properties": {"TopicName": {"Fn::Sub": "bemtevi-${Stage}-inbound-sms"}},
    }
    resources.update(template_resources())
    outputs["StaffUserPoolId"] = {"Value": {"Ref": "StaffUserPool"}}
    outputs["StaffUserPoolClientId"] = {"Value": {"Ref": "StaffUserPoolClient"}}
    outputs["SecretsKeyArn"] = {"Value": {"Fn::GetAtt": ["SecretsKey", "Arn"]}}
    outputs["JobsQueueArn"] = {"Value": {"Fn::GetAtt": ["JobsQueue", "Arn"]}}
    outputs["InboundSmsTopicArn"] = {"Value": {"Ref": "InboundSmsTopic"}}
    outputs["DeadLetterQueueArn"] = {"Value": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            "bemtevi stateful resources: tables, secrets key, jobs and dead-letter queues, "
            "inbound SMS topic, staff user pool"
        ),
        "Parameters": {
            "Stage": {
                "Type": "String",
                "AllowedPattern": "^[a-z][a-z0-9-]{1,20}$",
                "Description": "Deployment stage, as in .chalice/config.json (dev, prod)",
            }
        },
        "Resources": resources,
        "Outputs": outputs,
    }


def table_resource(logical_name: str, model: type[Model]) -> dict:
    schema = model._get_schema()
    definitions = {item["AttributeName"]: item for item in schema["attribute_definitions"]}
    properties: dict = {
        "TableName": {"Fn::Sub": f"bemtevi-${{Stage}}-{logical_name}"},
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": schema["key_schema"],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
        "SSESpecification": {"SSEEnabled": True},
    }
    indexes = []
    for index in schema["global_secondary_indexes"]:
        for item in index["attribute_definitions"]:
            definitions[item["AttributeName"]] = item
        indexes.append(
            {
                "IndexName": index["index_name"],
                "KeySchema": index["key_schema"],
                "Projection": index["projection"],
            }
        )
    properties["AttributeDefinitions"] = sorted(
        definitions.values(), key=lambda item: item["AttributeName"]
    )
    if indexes:
        properties["GlobalSecondaryIndexes"] = indexes
    ttl = ttl_attribute(model)
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", **RETAIN, "Properties": properties}


def ttl_attribute(model: type[Model]) -> str | None:
    """The TTL attribute of a table: declared on its root model or on any item kind."""
    discriminator = model._get_discriminator_attribute()
    kinds = [model, *(discriminator.get_registered_subclasses(Model) if discriminator else [])]
    names = {
        attribute.attr_name
        for kind in kinds
        for attribute in kind.get_attributes().values()
        if isinstance(attribute, TTLAttribute)
    }
    if len(names) > 1:
        raise ValueError(f"{model.__name__}: one TTL attribute per table, found {sorted(names)}")
    return names.pop() if names else None


def _secrets_key() -> dict:
    return {
        "SecretsKey": {
            "Type": "AWS::KMS::Key",
            **RETAIN,
            "Properties": {
                "Description": {"Fn::Sub": "bemtevi ${Stage}: envelope key for store secrets"},
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministersTheKey",
                            "Effect": "Allow",
                            "Principal": {
                                "AWS": {
                                    "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
                                }
                            },
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                },
            },
        },
        "SecretsKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": {"Fn::Sub": "alias/bemtevi-${Stage}"},
                "TargetKeyId": {"Ref": "SecretsKey"},
            },
        },
    }


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def rendered() -> str:
    return json.dumps(stateful_template(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rendered())
