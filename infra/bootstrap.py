"""Create what the CloudFormation template creates in AWS, on any endpoint (moto server
locally and in tests): the tables from the models, the KMS key and its alias, the
queues, the inbound SMS topic, the e-mail sender and the staff user pool (whose ids it puts
in this process's environment, where the app and `chalice local` read them).
Idempotent: run it as often as you like."""

import os

from bemtevi import aws, settings
from bemtevi.domain.messaging import MessagingRules
from bemtevi.store.tables import create_missing_tables
from infra.staff_pool import ensure_staff_pool


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


def ensure_queues() -> None:
    """The dead-letter queue and the jobs queue that fans scheduled jobs out."""
    sqs = aws.client("sqs")
    sqs.create_queue(QueueName=settings.queue_name("dlq"))
    sqs.create_queue(QueueName=settings.queue_name("jobs"))


def ensure_inbound_sms_topic() -> str:
    return aws.client("sns").create_topic(Name=settings.inbound_sms_topic())["TopicArn"]


def ensure_email_sender() -> None:
    """SES sends only from a verified identity (in AWS, ops verify the domain once)."""
    aws.client("ses").verify_email_identity(EmailAddress=MessagingRules().email_source)


def bootstrap() -> None:
    ensure_kms_key()
    ensure_queues()
    ensure_inbound_sms_topic()
    ensure_email_sender()
    pool_id, client_id = ensure_staff_pool()
    os.environ["BEMTEVI_COGNITO_POOL_ID"] = pool_id
    os.environ["BEMTEVI_COGNITO_CLIENT_ID"] = client_id
    create_missing_tables()
