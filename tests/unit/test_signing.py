"""The v2 scheme, checked against the string to sign written out by hand from docs/api.md."""

import hashlib
import hmac

import pytest

from bemtevi.security import signing


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_the_signature_covers_method_path_query_timestamp_and_body_hash():
    body = b'{"total": 100}'
    headers = signing.signed_headers(
        "bk_1", "segredo", "post", "/v1/sales/PDV-1/cancel?b=2&a=1", body, now=1700000000.9
    )
    message = (
        "v2\n1700000000\nPOST\n/v1/sales/PDV-1/cancel\na=1&b=2\n" + hashlib.sha256(body).hexdigest()
    )
    assert headers == {
        "X-Bemtevi-Key": "bk_1",
        "X-Bemtevi-Timestamp": "1700000000",
        "X-Bemtevi-Signature": "v2=" + _hmac("segredo", message),
    }


def test_an_empty_body_and_query_still_take_their_lines():
    headers = signing.signed_headers("bk_1", "s", "GET", "/v1/me", now=1)
    message = "v2\n1\nGET\n/v1/me\n\n" + hashlib.sha256(b"").hexdigest()
    assert headers["X-Bemtevi-Signature"] == "v2=" + _hmac("s", message)


def test_a_stage_prefix_and_the_host_are_not_signed():
    with_stage = signing.signed_headers("k", "s", "GET", "https://x.example/api/v1/me?a=1", now=1)
    bare = signing.signed_headers("k", "s", "GET", "/v1/me?a=1", now=1)
    assert with_stage == bare


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], ""),
        ([("to", "2026-02"), ("from", "2026-01")], "from=2026-01&to=2026-02"),
        ([("a", "2"), ("a", "10"), ("a", "1")], "a=1&a=10&a=2"),
        ([("nome", "José Ñ"), ("x y", "a+b/c~d")], "nome=Jos%C3%A9%20%C3%91&x%20y=a%2Bb%2Fc~d"),
        ([("vazio", "")], "vazio="),
    ],
)
def test_the_query_is_sorted_and_percent_encoded_per_rfc_3986(pairs, expected):
    assert signing.canonical_query(pairs) == expected


def test_path_segments_are_decoded_then_encoded_so_equivalent_paths_sign_alike():
    assert signing.canonical_path("/v1/sales/PDV%2D1/cancel") == "/v1/sales/PDV-1/cancel"
    assert signing.canonical_path("/v1/sales/a b/cancel") == "/v1/sales/a%20b/cancel"
    assert signing.canonical_path("/v1/sales/a%2Fb") == "/v1/sales/a%2Fb"


def test_headers_carry_one_signature_per_secret():
    headers = signing.signed_headers("bk_1", ["a", "b"], "GET", "/v1/me", b"x", now=1700000000)
    message = signing.string_to_sign("1700000000", "GET", "/v1/me", "", b"x")
    assert headers["X-Bemtevi-Signature"] == (f"v2={_hmac('a', message)},v2={_hmac('b', message)}")


def test_only_v2_values_are_read_from_the_header():
    assert signing.signatures_in("v2=AB, v1=cd,v2=ef ,garbage,v2=") == ["ab", "ef"]


def test_any_offered_signature_for_any_secret_matches():
    message = signing.string_to_sign("1", "GET", "/v1/me", "", b"")
    header = f"v2=deadbeef, v2={signing.signature('new', message)}"
    assert signing.matches_any(["old", "new"], message, header)
    assert not signing.matches_any(["old"], message, header)
    other = signing.string_to_sign("1", "POST", "/v1/me", "", b"")
    assert not signing.matches_any(["new"], other, header)
    assert not signing.matches_any([], message, header)


def test_a_non_ascii_signature_is_simply_wrong():
    message = signing.string_to_sign("1", "GET", "/v1/me", "", b"")
    assert not signing.matches_any(["s"], message, "v2=çã" + "0" * 62)
