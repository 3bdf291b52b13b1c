"""How the catalogue's search matches a name or a SKU: by prefix, whatever the case and
the accents ("Camisa Pólo" is found by "camisa po")."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """`text` lower-cased, without accents, its spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())
