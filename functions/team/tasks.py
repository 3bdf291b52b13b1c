"""The daily follow-up lists (`bemtevi tasks run|list`, `bemtevi jobs run tasks`) and the
call log. Reads only the customers due (the `bought` and `birthday` indexes); a rerun or a
resumed run writes nothing twice (items are put on condition they are new)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain import followup as rules
from bemtevi.domain.customers import Customer
from bemtevi.domain.messaging import Link
from bemtevi.errors import NotFound
from bemtevi.store import followup, network, sellers

LINK_DAYS = 30


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), zone)
    return start, start + timedelta(days=1)


def due(tenant_id: str, today: date, zone: ZoneInfo, win_back_days: int) -> list[tuple]:
    """(customer, reason) for everyone due today."""
    found: list[tuple[Customer, rules.Reason]] = []
    for reason, day in rules.purchase_days(today, win_back_days).items():
        found += [(c, reason) for c in followup.bought_between(tenant_id, *_day_bounds(day, zone))]
    for month_day in rules.birthday_keys(today):
        found += [(c, rules.Reason.BIRTHDAY) for c in followup.birthdays(tenant_id, month_day)]
    return found


def run(
    tenant_id: str,
    today: date,
    cap: int = rules.DEFAULT_CAP,
    win_back_days: int = rules.DEFAULT_WIN_BACK_DAYS,
) -> dict:
    """Make today's lists: per store (the last purchase's) and salesperson, capped, most
    valuable first. Returns the counts: customers read, items made, items already there."""
    tenant = network.get_tenant(tenant_id)
    zone = ZoneInfo(tenant.timezone)
    found = due(tenant_id, today, zone, win_back_days)
    team: dict[str, set[str]] = {}
    for seller in sellers.team(tenant_id):
        if seller.active:
            team.setdefault(seller.store_id, set()).add(seller.code)
    people = {customer.customer_id: customer for customer, _ in found}
    candidates = [
        rules.Candidate(
            c.customer_id,
            reason,
            c.last_store or "",
            rules.seller_for(c.last_seller, team.get(c.last_store or "", set())),
            int(c.total_spent),
            int(c.balance),
        )
        for c, reason in found
        if c.last_store and c.phone
    ]
    made = kept = 0
    ranks: dict[tuple[str, str], int] = {}
    for candidate in rules.ranked(candidates, cap):
        rank = ranks[(candidate.store_id, candidate.seller)] = (
            ranks.get((candidate.store_id, candidate.seller), 0) + 1
        )
        task, link = item_for(tenant_id, people[candidate.customer_id], candidate, today, rank)
        if followup.add(tenant_id, task, link):
            made += 1
        else:
            kept += 1
    return {"tenant": tenant_id, "day": today.isoformat(), "read": len(found), "made": made,
            "already": kept}  # fmt: skip


def item_for(
    tenant_id: str, customer: Customer, candidate: rules.Candidate, today: date, rank: int
) -> tuple[followup.Task, Link | None]:
    """The list item: first name, last purchase, balance, the suggested message with the
    customer's portal link (none for a customer who opted out of messages)."""
    opted_out = bool(customer.opted_out())
    name = rules.first_name(customer.name)
    link = None
    url = ""
    if not opted_out:
        code = secrets.token_urlsafe(12)
        expires = datetime.combine(today, time(), UTC) + timedelta(days=LINK_DAYS)
        link = Link(code, tenant_id, customer.customer_id, expires)
        url = f"{settings.public_url()}/l/{code}"
    text = rules.DEFAULT_MESSAGES[candidate.reason].format(
        nome=name, loja=customer.last_store or "", pontos=int(customer.balance), link=url
    )
    task = followup.Task(
        store_id=candidate.store_id,
        seller=candidate.seller,
        day=today.isoformat(),
        rank=rank,
        customer_id=customer.customer_id,
        reason=str(candidate.reason),
        first_name=name,
        phone=customer.phone,
        last_purchase_at=customer.last_purchase_at,
        last_store=customer.last_store,
        balance=int(customer.balance),
        opted_out=opted_out,
        message="" if opted_out else text,
    )
    return task, link


def item_view(task: followup.Task, today: date, expire_days: int) -> dict:
    """An item as the list shows it (links only for a customer who takes messages)."""
    view = {
        "customer": task.customer_id,
        "day": task.day,
        "rank": task.rank,
        "reason": task.reason,
        "reason_text": rules.REASON_NAMES[rules.Reason(task.reason)],
        "first_name": task.first_name,
        "last_purchase": task.last_purchase_at.isoformat() if task.last_purchase_at else None,
        "last_store": task.last_store,
        "balance": task.balance,
        "opted_out": task.opted_out,
        "notice": "não enviar mensagem" if task.opted_out else "",
        "message": task.message,
        "whatsapp": "",
        "tel": rules.tel_link(task.phone) if task.phone else "",
        "outcome": task.outcome,
        "note": task.note,
        "overdue": rules.is_overdue(date.fromisoformat(task.day), today, expire_days),
    }
    if task.phone and not task.opted_out:
        view["whatsapp"] = rules.whatsapp_link(task.phone, task.message)
    return view


def list_for(
    tenant_id: str,
    store_id: str,
    seller: str,
    today: date,
    expire_days: int = rules.DEFAULT_EXPIRE_DAYS,
) -> list[dict]:
    """Today's items and the undone ones of the last days (one Query)."""
    first = (today - timedelta(days=expire_days - 1)).isoformat()
    found = followup.tasks(tenant_id, store_id, seller, first, today.isoformat())
    views = [item_view(task, today, expire_days) for task in found]
    return [v for v in views if v["day"] == today.isoformat() or not v["outcome"]]


def record_outcome(
    tenant_id: str,
    store_id: str,
    seller: str,
    day: str,
    customer_id: str,
    outcome: str,
    note: str,
    now: datetime,
) -> dict:
    """Log a contact (once). A reached customer who buys within the window counts as
    returned revenue through the attribution marker `f-<store>-<seller>`."""
    chosen, note = rules.valid_outcome(outcome, note)
    found = [
        t
        for t in followup.tasks(tenant_id, store_id, seller, day, day)
        if t.customer_id == customer_id
    ]
    if not found:
        raise NotFound("task_not_found", "Contato não encontrado na lista.", "customer")
    followup.log(tenant_id, found[0], str(chosen), note, chosen in rules.REACHED, now)
    return {"customer": customer_id, "day": day, "outcome": str(chosen), "note": note}


def report(tenant_id: str, store_id: str, first_day: str, last_day: str) -> list[dict]:
    """Per salesperson: items made, done, reached (contact rate = reached / made)."""
    totals: dict[str, dict] = {}
    for row in followup.counters(tenant_id, store_id, first_day, last_day):
        seen = totals.setdefault(row["seller"], {"seller": row["seller"], "made": 0, "done": 0,
                                                 "reached": 0})  # fmt: skip
        for name in ("made", "done", "reached"):
            seen[name] += row[name]
    return sorted(totals.values(), key=lambda row: row["seller"])
