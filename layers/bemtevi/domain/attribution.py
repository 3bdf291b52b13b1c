"""Attribution: which campaigns a sale (or a return) counts to, decided from what the
customer item already carries, so that the sale's own transaction adds to the campaigns'
day counters with no extra read.

A member of a campaign (a recipient or a control member) carries a `Membership` marker
on the customer item from the moment the campaign picks them: its window runs from then
for the campaign's attribution days. A sale inside the window counts to the campaign; a
return inside the window takes off what its sale counted (a sale outside, or a return
after the window ends, changes nothing). The marker remembers whether the member already
bought, so the first sale counts a buyer and later ones only sales and revenue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

MAX_MEMBERSHIPS = 8
"""Markers a customer item keeps: expired ones go at every write; beyond this many live
ones, those whose window ends first go (their later sales no longer count)."""


class Role(StrEnum):
    RECIPIENT = "r"
    CONTROL = "c"


@dataclass(frozen=True)
class Membership:
    """`channel`: what a recipient was sent on ("" for the control group)."""

    campaign_id: str
    role: Role
    starts_at: datetime
    ends_at: datetime
    channel: str = ""
    bought: bool = False

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def with_membership(
    markers: Iterable[Membership], new: Membership, now: datetime
) -> tuple[Membership, ...]:
    """The markers after joining a campaign (at most once: a marker already there for
    the campaign is kept as it is)."""
    kept = tuple(markers)
    if any(marker.campaign_id == new.campaign_id for marker in kept):
        return live(kept, now)
    return live((*kept, new), now)


def live(markers: Iterable[Membership], now: datetime) -> tuple[Membership, ...]:
    """The markers whose window has not ended, at most `MAX_MEMBERSHIPS` (those ending
    last), in the order they came."""
    alive = [marker for marker in markers if marker.ends_at > now]
    last = sorted(alive, key=lambda marker: marker.ends_at, reverse=True)[:MAX_MEMBERSHIPS]
    return tuple(marker for marker in alive if marker in last)


def campaigns_credited(
    markers: Iterable[Membership], sale_time: datetime
) -> list[tuple[str, Role]]:
    """The campaigns a sale made at `sale_time` counts to, with the customer's role."""
    return [(m.campaign_id, m.role) for m in markers if m.covers(sale_time)]


def campaigns_debited(
    markers: Iterable[Membership], sale_time: datetime, return_time: datetime
) -> list[tuple[str, Role]]:
    """The campaigns a return at `return_time` takes off from: those its sale counted to
    whose window is still open."""
    return [
        (m.campaign_id, m.role) for m in markers if m.covers(sale_time) and m.covers(return_time)
    ]


@dataclass(frozen=True)
class CounterDelta:
    """What to add to one campaign's day counter (the day in the tenant's zone; the store
    of the sale): a flat map of counter names to amounts."""

    campaign_id: str
    day: str
    store_id: str
    add: dict[str, int]


def sale_deltas(
    markers: tuple[Membership, ...], sale_time: datetime, amount: int, store_id: str, zone: tzinfo
) -> tuple[tuple[Membership, ...], list[CounterDelta]]:
    """The markers after a sale of `amount` centavos (now marked as bought where it
    counted) and the counter additions, one per campaign it counts to."""
    day = sale_time.astimezone(zone).date().isoformat()
    deltas, after = [], []
    for marker in markers:
        if not marker.covers(sale_time):
            after.append(marker)
            continue
        counts = {"sales": 1, "revenue": amount, "buyers": 0 if marker.bought else 1}
        deltas.append(CounterDelta(marker.campaign_id, day, store_id, _named(marker, counts)))
        after.append(replace(marker, bought=True))
    return tuple(after), deltas


def return_deltas(
    markers: Iterable[Membership],
    sale_time: datetime,
    return_time: datetime,
    amount: int,
    store_id: str,
    zone: tzinfo,
) -> list[CounterDelta]:
    """What a return of `amount` centavos takes off, on the return's day: the sale's
    revenue (the sale and the buyer still count as made)."""
    day = return_time.astimezone(zone).date().isoformat()
    return [
        CounterDelta(m.campaign_id, day, store_id, _named(m, {"revenue": -amount, "returns": 1}))
        for m in markers
        if m.covers(sale_time) and m.covers(return_time)
    ]


def _named(marker: Membership, counts: dict[str, int]) -> dict[str, int]:
    """Counter names: `<role>_<name>` ("r_revenue", "c_buyers"), and for recipients
    also per channel ("r_sms_revenue")."""
    named = {f"{marker.role}_{name}": value for name, value in counts.items()}
    if marker.role is Role.RECIPIENT and marker.channel:
        named |= {f"r_{marker.channel}_{name}": value for name, value in counts.items()}
    return named


def markers_attribute(markers: Iterable[Membership]) -> dict[str, str]:
    """The markers as the customer item keeps them: a map of campaign id to
    "<role><bought 0|1>:<channel>:<start>:<end>" (POSIX seconds), a few dozen bytes each."""
    return {
        m.campaign_id: (
            f"{m.role}{int(m.bought)}:{m.channel}:"
            f"{int(m.starts_at.timestamp())}:{int(m.ends_at.timestamp())}"
        )
        for m in markers
    }


def markers_from(attribute: dict[str, str] | None) -> tuple[Membership, ...]:
    found = []
    for campaign_id, text in (attribute or {}).items():
        flags, channel, start, end = text.split(":")
        found.append(
            Membership(
                campaign_id=campaign_id,
                role=Role(flags[0]),
                starts_at=datetime.fromtimestamp(int(start), UTC),
                ends_at=datetime.fromtimestamp(int(end), UTC),
                channel=channel,
                bought=flags[1] == "1",
            )
        )
    return tuple(sorted(found, key=lambda m: (m.starts_at, m.campaign_id)))
