import hashlib
import hmac

from bemtevi.security import signing


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"segredo", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signing.signature("segredo", "1700000000", b"{}") == expected


def test_headers_carry_one_signature_per_secret():
    headers = signing.signed_headers("bk_1", ["a", "b"], b"x", now=1700000000.9)
    assert headers["X-Bemtevi-Key"] == "bk_1"
    assert headers["X-Bemtevi-Timestamp"] == "1700000000"
    assert headers["X-Bemtevi-Signature"] == (
        f"v1={signing.signature('a', '1700000000', b'x')},"
        f"v1={signing.signature('b', '1700000000', b'x')}"
    )


def test_only_v1_values_are_read_from_the_header():
    assert signing.signatures_in("v1=AB, v0=cd,v1=ef ,garbage,v1=") == ["ab", "ef"]


def test_any_offered_signature_for_any_secret_matches():
    header = f"v1=deadbeef, v1={signing.signature('new', '1', b'')}"
    assert signing.matches_any(["old", "new"], "1", b"", header)
    assert not signing.matches_any(["old"], "1", b"", header)
    assert not signing.matches_any(["new"], "2", b"", header)
    assert not signing.matches_any([], "1", b"", header)
