"""What a failed TransactWriteItems means for the caller: read again and retry (a race
was lost), answer as before (the operation was already recorded), or a real error."""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from bemtevi.errors import BemteviError

RACE_CODES = {"ConditionalCheckFailed", "TransactionConflict"}
REFUSAL_CODES = {"ValidationError", "ItemCollectionSizeLimitExceeded"}


class Refused(BemteviError):
    """DynamoDB refused the write itself (an item too large, a value it does not take):
    trying again would not help, and nothing was written."""

    status = 422

    def __init__(self) -> None:
        super().__init__(
            "record_refused",
            "O registro não pôde ser gravado (limite do banco de dados); nada foi gravado. "
            "Informe o suporte.",
            None,
        )


class Contention(Exception):
    """Something read changed before the write: read again."""


class AlreadyRecorded(Exception):
    """Another delivery of the same sale (or redemption) won the race."""


class NfceTaken(Exception):
    pass


def classify(error: TransactWriteError, order: list[str], record_is_new: bool = False) -> Exception:
    """`order` names each action of the transaction, in order ("record", "nfce", ...)."""
    failed = {
        order[index]: reason.code
        for index, reason in enumerate(error.cancellation_reasons or [])
        if reason is not None and reason.code not in (None, "None")
    }
    if failed.get("record") == "ConditionalCheckFailed":
        return AlreadyRecorded() if record_is_new else Contention()
    if failed.get("nfce") == "ConditionalCheckFailed":
        return NfceTaken()
    if failed and set(failed.values()) <= RACE_CODES:
        return Contention()
    if not failed and error.cause_response_code == "TransactionConflictException":
        return Contention()
    if set(failed.values()) & REFUSAL_CODES or error.cause_response_code == "ValidationException":
        return Refused()
    return error


class Labelled:
    """A TransactWrite that names each action, so a cancellation reason can be traced to
    it. PynamoDB sends condition checks, then deletes, then puts, then updates, whatever
    order they were added in; `order` follows that."""

    def __init__(self, transaction: TransactWrite) -> None:
        self._transaction = transaction
        self._labels: dict[str, list[str]] = {"check": [], "delete": [], "put": [], "update": []}

    def save(self, model: Model, label: str, condition: Condition | None = None) -> None:
        self._transaction.save(model, condition=condition)
        self._labels["put"].append(label)

    def delete(self, model: Model, label: str, condition: Condition | None = None) -> None:
        self._transaction.delete(model, condition=condition)
        self._labels["delete"].append(label)

    def update(
        self, model: Model, label: str, actions: list[Action], condition: Condition | None = None
    ) -> None:
        self._transaction.update(model, actions=actions, condition=condition)
        self._labels["update"].append(label)

    def condition_check(
        self, model: type[Model], keys: tuple[str, str], label: str, condition: Condition
    ) -> None:
        self._transaction.condition_check(model, *keys, condition=condition)
        self._labels["check"].append(label)

    @property
    def order(self) -> list[str]:
        return [
            label for kind in ("check", "delete", "put", "update") for label in self._labels[kind]
        ]
