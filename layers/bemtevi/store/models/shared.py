"""What the three table modules share: the list-of-strings attribute type. (Their
connection base, SharedConnectionModel, is bemtevi.store.connection's.)"""

from typing import Any

from pynamodb.attributes import ListAttribute, UnicodeAttribute


def strings(**options: Any) -> ListAttribute[str]:
    """A list of strings. pynamodb types `of` as the element type, so a list declared with
    `of=UnicodeAttribute` would read as list[UnicodeAttribute]; its items are str."""
    return ListAttribute(
        of=UnicodeAttribute,  # type: ignore[arg-type]  # pynamodb types `of` as the item type
        **options,
    )
