import pytest

from bemtevi.observability import MASK, redact


@pytest.mark.parametrize(
    "pii",
    [
        "529.982.247-25",
        "52998224725",
        "+5511987654321",
        "+55 11 98765-4321",
        "55 (11) 98765-4321",
        "(11) 98765-4321",
        "(11)987654321",
        "11 98765-4321",
        "11987654321",
        "maria.silva+loja@example.com.br",
    ],
)
def test_personal_data_is_masked(pii):
    assert redact(f"cliente {pii} comprou") == f"cliente {MASK} comprou"


@pytest.mark.parametrize(
    "value",
    ["1732368000", "total=15990", "35261112345678000190650010000012341000012345", "2026-11-23"],
)
def test_ordinary_values_are_kept(value):
    assert redact(value) == value
