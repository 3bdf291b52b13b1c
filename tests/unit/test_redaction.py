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


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            '127.0.0.1 - - "GET /portal/eyJ0IjoiZGVtbyJ9.AbC-_x9 HTTP/1.1" 200 -',
            '127.0.0.1 - - "GET /portal/*** HTTP/1.1" 200 -',
        ),
        (
            '"POST /portal/eyJ0IjoiZGVtbyJ9.AbC/canais HTTP/1.1" 303',
            '"POST /portal/***/canais HTTP/1.1" 303',
        ),
        ('"GET /portal/abc?salvo=1 HTTP/1.1"', '"GET /portal/***?salvo=1 HTTP/1.1"'),
        (
            "link https://bemtevi.com.br/l/k7Pq2xZr9a enviado",
            "link https://bemtevi.com.br/l/*** enviado",
        ),
        ('"GET /l/%C3%A9abc HTTP/1.1" 404', '"GET /l/*** HTTP/1.1" 404'),
        ("route /portal/{token}/canais", "route /portal/{token}/canais"),
        ("GET /v1/sales/v-1/cancel", "GET /v1/sales/v-1/cancel"),
    ],
)
def test_portal_tokens_and_link_codes_are_masked(line, masked):
    assert redact(line) == masked
