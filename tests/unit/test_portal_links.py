"""Portal links: short codes for messages, and signed, expiring tokens."""

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
