"""Portal links: short codes for messages, and signed, expiring tokens."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from bemtevi.security import links

PEPPER = b"pepper-of-tenant-a"
NOW = datetime(2026, 12, 5, 13, tzinfo=UTC)
ACCESS = links.PortalAccess("rede-a", "c0ffee", NOW + timedelta(days=30))


def test_a_token_names_its_tenant_and_customer_until_it_expires():
    token = links.token_for(PEPPER, ACCESS)
    assert links.tenant_of(token) == "rede-a"
    assert links.verified(PEPPER, token, NOW) == ACCESS
    with pytest.raises(links.ExpiredLink):
        links.verified(PEPPER, token, NOW + timedelta(days=30))


def test_another_tenant_key_or_a_changed_claim_is_refused():
    token = links.token_for(PEPPER, ACCESS)
    body, signature = token.split(".")
    other = links.token_for(PEPPER, links.PortalAccess("rede-a", "beef", ACCESS.expires_at))
    for forged in (
        f"{other.split('.')[0]}.{signature}",
        f"{body}.",
        body,
        "x.y",
        links.token_for(b"other-pepper", ACCESS),
    ):
        with pytest.raises(links.InvalidLink):
            links.verified(PEPPER, forged, NOW)


def test_short_codes_are_short_stable_and_distinct():
    code = links.short_code(PEPPER, "T#a#C#1MSG#welcome#ever")
    assert len(code) == 10
    assert code.isalnum()
    assert code == links.short_code(PEPPER, "T#a#C#1MSG#welcome#ever")
    assert code != links.short_code(PEPPER, "T#a#C#1MSG#reminder#2026-12")
    assert code != links.short_code(b"other", "T#a#C#1MSG#welcome#ever")


@pytest.mark.parametrize("cut", ["é", "%C3%A9", "\n", " "])
def test_a_token_with_anything_but_its_ascii_alphabet_is_invalid(cut):
    token = links.token_for(PEPPER, ACCESS)
    body, signature = token.split(".")
    for altered in (f"{body}.{signature[:-1]}{cut}", f"{body}{cut}.{signature}", f"{cut}{token}"):
        with pytest.raises(links.InvalidLink):
            links.tenant_of(altered)
        with pytest.raises(links.InvalidLink):
            links.verified(PEPPER, altered, NOW)


def test_a_token_must_claim_a_well_formed_tenant():
    signature = links.token_for(PEPPER, ACCESS).split(".")[1]
    for tenant in ("", "rédé", "Rede A", 7, None):
        claims = json.dumps({"t": tenant, "c": "c0ffee", "e": 1}).encode()
        body = base64.urlsafe_b64encode(claims).rstrip(b"=").decode()
        with pytest.raises(links.InvalidLink):
            links.tenant_of(f"{body}.{signature}")


def test_codes_are_ascii_letters_and_digits():
    assert links.is_code(links.short_code(PEPPER, "m"))
    assert not any(links.is_code(code) for code in ("", "é" * 10, "abc%C3%A9", "a" * 21, "ab-cd"))


def test_the_form_token_belongs_to_one_portal_token():
    token = links.token_for(PEPPER, ACCESS)
    other = links.token_for(PEPPER, links.PortalAccess("rede-a", "beef", ACCESS.expires_at))
    given = links.form_token(PEPPER, token)
    assert links.form_token_matches(PEPPER, token, given)
    assert not links.form_token_matches(PEPPER, other, given)
    assert not links.form_token_matches(b"other-pepper", token, given)
    assert not links.form_token_matches(PEPPER, token, "")
    assert not links.form_token_matches(PEPPER, token, given[:-1] + "é")
