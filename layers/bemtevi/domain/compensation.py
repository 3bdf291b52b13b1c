"""Compensation between the stores of a network: points earned at store A and redeemed at
store B make A owe B the value B gave away, in proportion to A's share of the points."""

from __future__ import annotations


def split_value(value: int, points_by_store: dict[str, int]) -> dict[str, int]:
    """Split `value` centavos over the origin stores in proportion to their points, by the
    largest remainder, so the parts add up to `value` exactly. Ties in the remainder go to
    the store with more points, then by store id, so the split is deterministic."""
    total = sum(points_by_store.values())
    if value < 0 or total <= 0 or any(points < 0 for points in points_by_store.values()):
        raise ValueError("a split needs a non-negative value and positive points")
    floors = {store: value * points // total for store, points in points_by_store.items()}
    remainders = {store: value * points % total for store, points in points_by_store.items()}
    left = value - sum(floors.values())
    order = sorted(
        points_by_store, key=lambda store: (-remainders[store], -points_by_store[store], store)
    )
    for store in order[:left]:
        floors[store] += 1
    return floors


def payables(
    value: int, points_by_store: dict[str, int], redeeming_store: str
) -> tuple[dict[str, int], int]:
    """What each other origin store owes the redeeming store, and the part that settles
    nothing (points earned at the redeeming store itself)."""
    parts = split_value(value, points_by_store)
    own = parts.pop(redeeming_store, 0)
    return {store: part for store, part in parts.items() if part}, own
