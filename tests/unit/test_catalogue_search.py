"""The catalogue's search key: a name or SKU matches by prefix whatever the case and
the accents."""

import pytest

from bemtevi.domain.catalogue import search_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Camisa Pólo", "camisa polo"),
        ("  CALÇA   jeans ", "calca jeans"),
        ("Ação Ñandu", "acao nandu"),
        ("MAMAD-260", "mamad-260"),
        ("", ""),
    ],
)
def test_the_key_has_no_case_accents_nor_extra_spaces(text, key):
    assert search_key(text) == key


def test_what_a_manager_types_is_a_prefix_of_the_key():
    assert search_key("Mamadeira Pólo 260 ml").startswith(search_key("MAMADEIRA po"))
