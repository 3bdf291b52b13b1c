"""Create what the CloudFormation template creates in AWS, on any endpoint (moto server
locally and in tests): the tables from the models, the KMS key and its alias, the
dead-letter queue. Idempotent: run it as often as you like."""

from bemtevi import aws, settings
from bemtevi.store.tables import create_missing_tables


def ensure_kms_key() -> str:
    kms = aws.client("kms")
    alias = settings.kms_key_id()
    try:
        return kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
    except kms.exceptions.NotFoundException:
        key_id = kms.create_key(Description=f"bemtevi {settings.stage()} secrets")["KeyMetadata"][
            "KeyId"
        ]
        kms.create_alias(AliasName=alias, TargetKeyId=key_id)
        return key_id


def ensure_dead_letter_queue() -> str:
    return aws.client("sqs").create_queue(QueueName=f"bemtevi-{settings.stage()}-dlq")["QueueUrl"]


def bootstrap() -> None:
    ensure_kms_key()
    ensure_dead_letter_queue()
    create_missing_tables()
