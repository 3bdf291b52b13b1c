"""A network lives through random days: sales at random stores, redemptions at random
stores, cancellations of either, time passing and points expiring. After every step the
books hold: balances are the sum of live lots and never negative, the ledger explains
every point, and across the network what is owed equals what is receivable, and equals
the value of the redemptions still standing."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bemtevi.domain.compensation import payables
from bemtevi.domain.ledger import (
    Lot,
    Points,
    earn,
    expire_due,
    give_back,
    points_to_reverse,
    redeem,
    reverse,
)

STORES = ["a", "b", "c"]
CUSTOMERS = ["maria", "joao"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Network(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.points = {customer: Points() for customer in CUSTOMERS}
        self.entries: dict[str, list] = {customer: [] for customer in CUSTOMERS}
        self.lines: Counter = Counter()
        self.sales: list[tuple[str, str, int, int]] = []
        self.returned: list[int] = []
        self.redemptions: list[dict] = []
        self.serial = 0

    def _next(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def _book(self, customer: str, points: Points, entries: list) -> None:
        self.points[customer] = points
        self.entries[customer].extend(entry for entry in entries if entry is not None)

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        store=st.sampled_from(STORES),
        amount=st.integers(1, 300),
        pending=st.integers(0, 3),
    )
    def sale(self, customer, store, amount, pending):
        sale_id = self._next("v")
        lot = Lot(
            f"{store}:{sale_id}",
            store,
            sale_id,
            self.now,
            self.now + timedelta(days=60),
            self.now + timedelta(days=pending),
            amount,
            amount,
        )
        points, entry = earn(self.points[customer], lot, self._next("e"))
        self._book(customer, points, [entry])
        self.sales.append((customer, lot.lot_id, amount, amount * 100 + 7))
        self.returned.append(0)

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        store=st.sampled_from(STORES),
        cost=st.integers(1, 200),
        value=st.integers(0, 5000),
    )
    def redemption(self, customer, store, cost, value):
        spent = redeem(self.points[customer], cost, self.now, self._next("r"), store)
        if spent is None:
            assert self.points[customer].available(self.now) < cost
            return
        points, entry, consumed = spent
        by_store: Counter = Counter()
        for lot, take in consumed:
            by_store[lot.store_id] += take
        owed, own = payables(value, dict(by_store), store)
        parts = {**owed, store: own}
        for payer, amount in parts.items():
            self.lines[(payer, store)] += amount
        self._book(customer, points, [entry])
        self.redemptions.append(
            {
                "customer": customer,
                "store": store,
                "consumed": consumed,
                "parts": parts,
                "value": value,
                "active": True,
            }
        )

    @precondition(lambda self: any(r["active"] for r in self.redemptions))
    @rule(pick=st.integers(0, 1000))
    def cancel_redemption(self, pick):
        active = [r for r in self.redemptions if r["active"]]
        chosen = active[pick % len(active)]
        points, entries = give_back(
            self.points[chosen["customer"]],
            chosen["consumed"],
            self.now,
            self._next("u"),
            chosen["store"],
        )
        self._book(chosen["customer"], points, entries)
        for payer, amount in chosen["parts"].items():
            self.lines[(payer, chosen["store"])] -= amount
        chosen["active"] = False

    @precondition(lambda self: self.sales)
    @rule(pick=st.integers(0, 1000), percent=st.integers(1, 100))
    def sale_return(self, pick, percent):
        index = pick % len(self.sales)
        customer, lot_id, earned, net = self.sales[index]
        money = min(net - self.returned[index], max(1, net * percent // 100))
        if money <= 0:
            return
        taken = points_to_reverse(earned, net, self.returned[index], money)
        self.returned[index] += money
        points, entry = reverse(
            self.points[customer], lot_id, taken, self._next("d"), self.now, "a", lot_id
        )
        self._book(customer, points, [entry])

    @rule(days=st.integers(1, 40))
    def time_passes(self, days):
        self.now += timedelta(days=days)
        for customer in CUSTOMERS:
            points, entry = expire_due(self.points[customer], self.now, self._next("x"), "job")
            self._book(customer, points, [entry])

    @invariant()
    def balances_are_live_lots_and_never_negative(self):
        for points in self.points.values():
            assert points.balance == sum(lot.remaining for lot in points.lots) >= 0
            assert points.debt >= 0

    @invariant()
    def the_ledger_explains_every_point(self):
        for customer, points in self.points.items():
            entries = self.entries[customer]
            assert sum(entry.points for entry in entries) == points.balance
            assert sum(entry.debt for entry in entries) == points.debt
            for entry in entries:
                if entry.kind != "earned":
                    assert sum(entry.lots.values()) == entry.points

    @invariant()
    def the_lines_hold_exactly_the_standing_redemptions(self):
        """Each line is one payer's debt to one receiver, so across the network what is
        owed is what is receivable by construction; what can go wrong is the amounts.
        Every standing redemption's value is on the lines to the centavo, each store's
        share within a centavo of its points' share, and cancelled ones are gone."""
        standing = [r for r in self.redemptions if r["active"]]
        assert sum(self.lines.values()) == sum(r["value"] for r in standing)
        for redemption in self.redemptions:
            parts = redemption["parts"]
            assert sum(parts.values()) == redemption["value"]
            points = Counter()
            for lot, take in redemption["consumed"]:
                points[lot.store_id] += take
            total = sum(points.values())
            for store, part in parts.items():
                assert abs(part * total - redemption["value"] * points[store]) < total
        expected: Counter = Counter()
        for redemption in standing:
            for payer, amount in redemption["parts"].items():
                expected[(payer, redemption["store"])] += amount
        for line in set(self.lines) | set(expected):
            assert self.lines[line] == expected[line]


Network.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestNetwork = Network.TestCase
