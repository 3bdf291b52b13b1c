"""Repository of automatic messages: the claim written before a send, the outbox of
messages waiting to go, the outcome of each attempt, the day's log, portal links, replies
and opt-outs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from bemtevi.domain.customers import Customer
from bemtevi.domain.message_kinds import MessageStatus
from bemtevi.domain.messaging import Link, LoggedMessage, Message, Reply
from bemtevi.store.connection import shared_connection
from bemtevi.store.customers import INDEX_SHARDS, page_of, record_of, shard_of, utc_iso
from bemtevi.store.mapping import values_of
from bemtevi.store.models import (
    CustomerRecord,
    CustomersTable,
    LinkRecord,
    MessageCounterRecord,
    MessageRecord,
    ReplyRecord,
)
from bemtevi.store.transactions import Contention, Labelled


class Claim(StrEnum):
    TAKEN = "taken"
    OPTED_OUT = "opted_out"
    LOST = "lost"


@dataclass(frozen=True)
class Outcome:
    """What a send left to record: the provider's id, SMS segments and the cost."""

    provider_message_id: str
    segments: int
    cost: int


@dataclass(frozen=True)
class Sent:
    """A send not recorded yet, to record with the next claim (see `claim`)."""

    message: Message
    outcome: Outcome
    now: datetime
    day: str


class NotRecorded(Exception):
    """The claim that carried a record was refused: nothing of it was written; record
    the send alone, then claim again."""


def new_message(
    tenant_id: str,
    customer: Customer,
    kind: str,
    period: str,
    now: datetime,
    day: str,
    points_earned: int | None = None,
) -> Message:
    """A message waiting in the outbox, due now, filed under the customer's last store
    (`points_earned`: what the sale that queued a welcome earned)."""
    shard = shard_of(customer.customer_id)
    return Message(
        tenant_id=tenant_id,
        customer_id=customer.customer_id,
        message_kind=kind,
        period=period,
        status=MessageStatus.QUEUED,
        store_id=customer.last_store,
        created_at=now,
        updated_at=now,
        outbox_pk=outbox_partition(tenant_id, shard),
        due_at=utc_iso(now),
        log_pk=log_partition(tenant_id, day, shard),
        logged_at=utc_iso(now),
        points_earned=points_earned,
    )


def message_of(record: MessageRecord) -> Message:
    return Message(**values_of(record, Message))


def item_of(message: Message) -> MessageRecord:
    """The message's item (written whole by a plan or a claim; by key by an update)."""
    return MessageRecord(*_keys(message), **values_of(message, Message))


def _keys(message: Message) -> tuple[str, str]:
    return MessageRecord.keys(
        message.tenant_id, message.customer_id, message.message_kind, message.period
    )


def key_text(message: Message) -> str:
    """The message's key as one text (its portal link's code is derived from it)."""
    pk, sk = _keys(message)
    return pk + sk


def outbox_partition(tenant_id: str, shard: int) -> str:
    return f"T#{tenant_id}#outbox#{shard}"


def log_partition(tenant_id: str, day: str, shard: int) -> str:
    return f"T#{tenant_id}#M#{day}#{shard}"


def plan(message: Message) -> bool:
    """Write the message if this customer has none of this kind and period yet."""
    return _put_if_new(item_of(message))


def plan_held(message: Message, until: datetime, now: datetime) -> bool:
    """Plan a message that waits in the outbox until `until` (quiet hours)."""
    message.due_at, message.updated_at = utc_iso(until), now
    return _put_if_new(item_of(message))


def plan_skipped(message: Message, reason: str, now: datetime) -> bool:
    """Plan a message with nothing to send, as skipped: it counts for its period (a run
    again does not reconsider it), out of the outbox."""
    message.status, message.error, message.updated_at = MessageStatus.SKIPPED, reason, now
    message.outbox_pk = message.due_at = None
    return _put_if_new(item_of(message))


def _put_if_new(item: CustomersTable) -> bool:
    try:
        item.save(condition=CustomersTable.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def claim(
    message: Message,
    channel: str,
    link: Link | None,
    now: datetime,
    lease_until: datetime,
    new: bool = False,
    recorded: Sent | None = None,
) -> Claim:
    """Take the message for one attempt, on condition that it is still queued as read and
    that the customer has not turned the channel off (re-checked here, just before the
    send). A claim left by a run that died reappears in the outbox when its lease ends.
    `new`: the message is not written yet; it is written claimed, on condition that the
    customer has none of its kind and period (else LOST), so planning costs no call of
    its own. `recorded`: the previous send, recorded in the same transaction (its own
    call saved); if the transaction is refused for any reason, NotRecorded."""
    customer_keys = CustomerRecord.keys(message.tenant_id, message.customer_id)
    opted_out = getattr(CustomerRecord, f"{channel}_opted_out_at")
    code = link.code if link else None
    link_code = MessageRecord.link_code.set(code) if code else MessageRecord.link_code.remove()
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            labelled = Labelled(transaction)
            labelled.condition_check(
                CustomerRecord, customer_keys, "customer", condition=opted_out.does_not_exist()
            )
            if link is not None:
                labelled.save(link_item(link), "link")
            if new:
                labelled.save(
                    _claimed(message, channel, code, now, lease_until),
                    "message",
                    condition=CustomersTable.pk.does_not_exist(),
                )
            else:
                labelled.update(
                    item_of(message),
                    "message",
                    actions=[
                        MessageRecord.status.set(MessageStatus.SENDING),
                        MessageRecord.channel.set(channel),
                        MessageRecord.attempts.add(1),
                        MessageRecord.claimed_at.set(now),
                        MessageRecord.updated_at.set(now),
                        link_code,
                        MessageRecord.due_at.set(utc_iso(lease_until)),
                        *([MessageRecord.contact.set(message.contact)] if message.contact else []),
                    ],
                    condition=(MessageRecord.status == MessageStatus.QUEUED)
                    & (MessageRecord.attempts == int(message.attempts)),
                )
            if recorded is not None:
                _add_record(transaction, recorded)
    except TransactWriteError as error:
        if recorded is not None:
            raise NotRecorded() from error
        failed = [
            label
            for label, reason in zip(labelled.order, error.cancellation_reasons or [], strict=False)
            if reason is not None and reason.code == "ConditionalCheckFailed"
        ]
        if "customer" in failed:
            return Claim.OPTED_OUT
        if failed or error.cause_response_code == "TransactionCanceledException":
            return Claim.LOST
        raise
    if new:
        message.claimed_at, message.link_code = now, code
        message.updated_at, message.due_at = now, utc_iso(lease_until)
    message.status, message.channel = MessageStatus.SENDING, channel
    message.attempts = int(message.attempts) + 1
    return Claim.TAKEN


def _claimed(
    message: Message, channel: str, code: str | None, now: datetime, lease_until: datetime
) -> MessageRecord:
    """The item of a message not written yet, as a claim leaves it (the message itself
    stays as planned until the claim is taken)."""
    claimed = item_of(message)
    claimed.status, claimed.channel, claimed.attempts = MessageStatus.SENDING, channel, 1
    claimed.claimed_at, claimed.updated_at, claimed.link_code = now, now, code
    claimed.due_at = utc_iso(lease_until)
    return claimed


def record_sent(message: Message, outcome: Outcome, now: datetime, day: str) -> None:
    """The sent message leaves the outbox, moves to the day's log and counts for its
    store's day, at once: `day` is the tenant-local date of `now`, the send (a welcome
    queued at night goes in the morning, a job run for another date sends today). A
    conflict on the (shared) counter raises Contention: record it again."""
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            _add_record(transaction, Sent(message, outcome, now, day))
    except TransactWriteError as error:
        codes = {reason.code for reason in error.cancellation_reasons or [] if reason}
        if "TransactionConflict" in codes or (
            error.cause_response_code == "TransactionConflictException"
        ):
            raise Contention() from error
        raise


def _add_record(transaction: TransactWrite, sent: Sent) -> None:
    message, outcome, now, day = sent.message, sent.outcome, sent.now, sent.day
    transaction.update(
        item_of(message),
        actions=[
            MessageRecord.status.set(MessageStatus.SENT),
            MessageRecord.provider_message_id.set(outcome.provider_message_id),
            MessageRecord.segments.set(outcome.segments),
            MessageRecord.cost.set(outcome.cost),
            MessageRecord.sent_at.set(now),
            MessageRecord.updated_at.set(now),
            MessageRecord.error.remove(),
            MessageRecord.outbox_pk.remove(),
            MessageRecord.due_at.remove(),
            *_logged(message, now, day),
        ],
        condition=MessageRecord.status == MessageStatus.SENDING,
    )
    counter, actions = message_counts(
        message, day, sent=1, segments=outcome.segments, cost=outcome.cost
    )
    transaction.update(counter, actions=actions)


def _logged(message: Message, now: datetime, day: str) -> list:
    """The message lists under the day it was sent (or failed for good), not the day it
    was queued."""
    return [
        MessageRecord.log_pk.set(
            log_partition(message.tenant_id, day, shard_of(message.customer_id))
        ),
        MessageRecord.logged_at.set(utc_iso(now)),
    ]


def record_retry(message: Message, error: str, due_at: datetime, now: datetime) -> None:
    item_of(message).update(
        actions=[
            MessageRecord.status.set(MessageStatus.QUEUED),
            MessageRecord.error.set(error),
            MessageRecord.due_at.set(utc_iso(due_at)),
            MessageRecord.updated_at.set(now),
        ],
        condition=MessageRecord.status == MessageStatus.SENDING,
    )


def record_failed(message: Message, error: str, now: datetime, day: str) -> None:
    with TransactWrite(connection=shared_connection()) as transaction:
        transaction.update(
            item_of(message),
            actions=[
                MessageRecord.status.set(MessageStatus.FAILED),
                MessageRecord.error.set(error),
                MessageRecord.updated_at.set(now),
                MessageRecord.outbox_pk.remove(),
                MessageRecord.due_at.remove(),
                *_logged(message, now, day),
            ],
            condition=MessageRecord.status == MessageStatus.SENDING,
        )
        if message.channel:
            counter, actions = message_counts(message, day, failed=1)
            transaction.update(counter, actions=actions)


def record_skipped(message: Message, reason: str, now: datetime) -> None:
    """Nothing to send (no channel left, opted out, nothing to say): out of the outbox."""
    _update_if_waiting(
        message,
        [
            MessageRecord.status.set(MessageStatus.SKIPPED),
            MessageRecord.error.set(reason),
            MessageRecord.updated_at.set(now),
            MessageRecord.outbox_pk.remove(),
            MessageRecord.due_at.remove(),
        ],
    )


def hold(message: Message, until: datetime, now: datetime) -> None:
    """Quiet hours: the message waits in the outbox for the next window."""
    _update_if_waiting(
        message,
        [MessageRecord.due_at.set(utc_iso(until)), MessageRecord.updated_at.set(now)],
    )


def _update_if_waiting(message: Message, actions: list) -> None:
    try:
        item_of(message).update(
            actions=actions,
            condition=MessageRecord.status.is_in(MessageStatus.QUEUED, MessageStatus.SENDING)
            & (MessageRecord.attempts == int(message.attempts)),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def message_counts(message: Message, day: str, **increments: int) -> tuple:
    store_id = message.store_id or "-"
    counter = MessageCounterRecord(
        *MessageCounterRecord.keys(
            message.tenant_id, store_id, day, message.message_kind, message.channel or "-"
        )
    )
    actions = [
        MessageCounterRecord.kind.set(MessageCounterRecord),
        MessageCounterRecord.store_id.set(store_id),
        MessageCounterRecord.day.set(day),
        MessageCounterRecord.message_kind.set(message.message_kind),
        MessageCounterRecord.channel.set(message.channel or "-"),
    ]
    actions += [
        getattr(MessageCounterRecord, name).add(value) for name, value in increments.items()
    ]
    return counter, actions


def due(
    tenant_id: str, shard: int, now: datetime, start: dict | None = None, limit: int = 100
) -> tuple[list[Message], dict | None]:
    """A page of the outbox: messages of one shard due by now."""
    results = MessageRecord.outbox.query(
        outbox_partition(tenant_id, shard),
        MessageRecord.due_at <= utc_iso(now),
        last_evaluated_key=start,
        limit=limit,
    )
    page, start = page_of(results, limit)
    return [message_of(record) for record in page], start


def logged_on(tenant_id: str, day: str) -> Iterator[LoggedMessage | Reply]:
    """A day's messages and replies, every shard (a Query of each kind per shard)."""
    for shard in range(INDEX_SHARDS):
        partition = log_partition(tenant_id, day, shard)
        yield from (_logged_message(item) for item in MessageRecord.log.query(partition))
        yield from (_reply(item) for item in ReplyRecord.log.query(partition))


def _logged_message(record: MessageRecord) -> LoggedMessage:
    return LoggedMessage(**values_of(record, LoggedMessage))


def _reply(record: ReplyRecord) -> Reply:
    return Reply(**values_of(record, Reply))


def get_message(tenant_id: str, customer_id: str, kind: str, period: str) -> Message | None:
    try:
        record = MessageRecord.get(
            *MessageRecord.keys(tenant_id, customer_id, kind, period), consistent_read=True
        )
    except DoesNotExist:
        return None
    return message_of(record)


def messages_of(tenant_id: str, customer_id: str) -> list[Message]:
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    query = MessageRecord.query(pk, MessageRecord.sk.startswith("MSG#"))
    return [message_of(record) for record in query]


CONVERSATION_ITEMS = 200
"""At most this many of a customer's messages and replies are read for their page
(about 15 years of monthly reminders)."""


def conversation_of(tenant_id: str, customer_id: str) -> tuple[list[Message], list[Reply]]:
    """The customer's messages and replies in one Query: their sort keys (`MSG#...`,
    `REPLY#...`) follow the profile's and the ledger's in the customer's partition."""
    pk, _ = CustomerRecord.keys(tenant_id, customer_id)
    found = CustomersTable.query(pk, CustomersTable.sk >= "MSG#", limit=CONVERSATION_ITEMS)
    sent: list[Message] = []
    replies: list[Reply] = []
    for item in found:
        if isinstance(item, MessageRecord):
            sent.append(message_of(item))
        elif isinstance(item, ReplyRecord):
            replies.append(_reply(item))
    return sent, replies


def find_link(code: str) -> Link | None:
    try:
        record = LinkRecord.get(*LinkRecord.keys(code))
    except DoesNotExist:
        return None
    return Link(code, record.tenant_id, record.customer_id, record.expires_at)


def new_link(code: str, tenant_id: str, customer_id: str, expires_at: datetime) -> Link:
    return Link(code, tenant_id, customer_id, expires_at)


def link_item(link: Link) -> LinkRecord:
    """DynamoDB's TTL removes the item after the link expires."""
    return LinkRecord(
        *LinkRecord.keys(link.code),
        tenant_id=link.tenant_id,
        customer_id=link.customer_id,
        expires_at=link.expires_at,
        expires=link.expires_at,
    )


def save_reply(reply: Reply, reply_id: str, phone_hash: str | None, day: str) -> bool:
    """Keep a reply once (SNS may deliver it again); False if it was already kept. It
    goes in the customer's partition, or under the number's hash when no customer has
    it; in the day's log (`day`: the tenant's local date) at its receipt."""
    tenant_id, customer_id = reply.tenant_id, reply.customer_id
    partition = (
        CustomerRecord.keys(tenant_id, customer_id)[0]
        if customer_id is not None
        else f"T#{tenant_id}#N#{phone_hash}"
    )
    shard = shard_of(customer_id or phone_hash or "")
    return _put_if_new(
        ReplyRecord(
            *ReplyRecord.keys(partition, reply_id),
            tenant_id=tenant_id,
            customer_id=customer_id,
            text=reply.text,
            received_at=reply.received_at,
            opted_out=reply.opted_out,
            store_id=reply.store_id,
            log_pk=log_partition(tenant_id, day, shard),
            logged_at=reply.logged_at,
        )
    )


def set_opt_outs(customer: Customer, choices: dict[str, bool], now: datetime) -> None:
    """Turn channels off (True) or back on (False), on condition of the revision read
    (Contention: read the customer again)."""
    actions = []
    for channel, opted_out in choices.items():
        attribute = getattr(CustomerRecord, f"{channel}_opted_out_at")
        current = getattr(customer, f"{channel}_opted_out_at")
        if opted_out and current is None:
            actions.append(attribute.set(now))
        elif not opted_out and current is not None:
            actions.append(attribute.remove())
    if not actions:
        return
    try:
        record_of(customer).update(actions=[*actions, CustomerRecord.updated_at.set(now)])
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Contention() from error
        raise
