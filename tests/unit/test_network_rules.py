from datetime import UTC, datetime, timedelta

import pytest

from bemtevi.domain import network as rules
from bemtevi.errors import Conflict, InvalidInput

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("value", ["demo", "loja-1", "a", "rede-bebe-2026", "x" * 40])
def test_ids_that_travel_in_keys_and_urls(value):
    assert rules.valid_id(value, "id") == value


@pytest.mark.parametrize("value", ["", "Loja", "loja_1", "-loja", "loja-", "x" * 41, "lo ja", 7])
def test_ids_refused_name_their_field(value):
    with pytest.raises(InvalidInput) as refused:
        rules.valid_id(value, "store")
    assert (refused.value.code, refused.value.field) == ("invalid_id", "store")


def test_names_are_trimmed_and_bounded():
    assert rules.valid_name("  Loja Centro ") == "Loja Centro"
    for bad in ("", "   ", "x" * 121):
        with pytest.raises(InvalidInput):
            rules.valid_name(bad)


def test_timezones_must_exist():
    assert rules.valid_timezone("America/Manaus") == "America/Manaus"
    with pytest.raises(InvalidInput):
        rules.valid_timezone("America/Atlantida")


def test_credentials_are_random_and_recognisable():
    keys = {rules.new_key_id() for _ in range(50)}
    secrets = {rules.new_secret() for _ in range(50)}
    assert len(keys) == len(secrets) == 50
    assert all(key.startswith("bk_") and len(key) == 23 for key in keys)
    assert all(secret.startswith("bs_") and len(secret) >= 43 for secret in secrets)


def test_a_rotation_adds_a_newer_version_and_retiring_keeps_only_it():
    first = [rules.SecretVersion(1, T0)]
    rotated = rules.after_rotation(first, T0 + timedelta(days=1))
    assert [item.version for item in rotated] == [1, 2]
    assert rules.after_retiring_old(rotated) == [rules.SecretVersion(2, T0 + timedelta(days=1))]
    with pytest.raises(Conflict):
        rules.after_rotation(rotated, T0)
    with pytest.raises(Conflict):
        rules.after_retiring_old(first)


def test_versions_keep_growing_across_rotations():
    versions = [rules.SecretVersion(1, T0)]
    for _ in range(3):
        versions = rules.after_retiring_old(rules.after_rotation(versions, T0))
    assert versions[0].version == 4
