"""What a send path writes around a send: the claim, which in a job also carries the
record of the previous send (one AWS call saved per message), the record itself, and
the hold and the skip of a message that does not go now."""

from __future__ import annotations

from datetime import datetime

from bemtevi.domain.messaging import Link, Message
from bemtevi.store import messages
from bemtevi.store.messages import Claim, Sent
from functions.common.retry import until_written


class Records:
    """`fold`: a send waits to be recorded with the next claim; `flush` records the
    last one (at the end of a run, or a stop). Without it, each send is recorded at
    once."""

    def __init__(self, fold: bool = False) -> None:
        self.fold = fold
        self.waiting: Sent | None = None

    def claim(
        self,
        message: Message,
        channel: str,
        link: Link | None,
        now: datetime,
        lease: datetime,
        new: bool,
    ) -> Claim:
        """The claim, carrying the waiting record; refused, the record goes alone first
        (on any other error it keeps waiting, for `flush`)."""
        waiting = self.waiting
        if waiting is not None:
            try:
                claim = messages.claim(message, channel, link, now, lease, new, waiting)
            except messages.NotRecorded:
                self.waiting = None
                record(waiting)
            else:
                self.waiting = None
                return claim
        return messages.claim(message, channel, link, now, lease, new)

    def sent(self, sent: Sent) -> None:
        if self.fold:
            self.waiting = sent
        else:
            record(sent)

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, None
        if waiting is not None:
            record(waiting)


def record(sent: Sent) -> None:
    until_written(lambda: messages.record_sent(sent.message, sent.outcome, sent.now, sent.day))


def skip(message: Message, reason: str, now: datetime, new: bool) -> str:
    """Nothing to send; a `new` message is written skipped, if none exists yet."""
    if new:
        return "skipped" if messages.plan_skipped(message, reason, now) else "already_planned"
    messages.record_skipped(message, reason, now)
    return "skipped"


def hold(message: Message, until: datetime, now: datetime, new: bool) -> str:
    """Quiet hours: the message waits in the outbox (a `new` one, if none exists yet)."""
    if new:
        return "held" if messages.plan_held(message, until, now) else "already_planned"
    messages.hold(message, until, now)
    return "held"
