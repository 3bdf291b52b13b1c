"""Records and the domain dataclasses the repositories hand out share their attribute
names, so one mapping serves both ways."""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any


@cache
def _names(shape: type) -> tuple[str, ...]:
    return tuple(each.name for each in fields(shape))


def values_of(item: object, shape: type) -> dict[str, Any]:
    """`item`'s values of the fields of the dataclass `shape`, as keyword arguments for
    either side; a revision only once there is one (PynamoDB's VersionAttribute takes no
    None, and a new item has none)."""
    values = {name: getattr(item, name) for name in _names(shape)}
    if values.get("revision") is None:
        values.pop("revision", None)
    return values
