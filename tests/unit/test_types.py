"""The mypy configuration of `make test`: strict on the pure packages, normal elsewhere;
and the chunking of a customer batch, rewritten to be typed."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from mypy import api

from bemtevi.store.customers import _window

ROOT = Path(__file__).resolve().parents[2]
UNTYPED = (
    "def untyped(value):\n    return value\n\n\ndef bare(value: dict) -> list:\n    return []\n"
)


def test_mypy_is_strict_on_domain_and_security_only(tmp_path, monkeypatch):
    """The same untyped code is an error in bemtevi.domain and bemtevi.security and
    accepted in functions/ and the rest of the layer (`strict = true` in an override
    would make it an error everywhere)."""
    probes = {
        "layers/bemtevi/domain/probe.py": True,
        "layers/bemtevi/security/probe.py": True,
        "layers/bemtevi/store/probe.py": False,
        "functions/probe.py": False,
    }
    for package in ("layers/bemtevi", "layers/bemtevi/domain", "layers/bemtevi/security"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "layers/bemtevi/store").mkdir()
    (tmp_path / "layers/bemtevi/store/__init__.py").write_text("")
    (tmp_path / "functions").mkdir()
    (tmp_path / "functions/__init__.py").write_text("")
    for path in probes:
        (tmp_path / path).write_text(UNTYPED)

    monkeypatch.chdir(tmp_path)  # mypy_path is relative to the working directory
    report, _, _ = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", ".mypy_cache", *probes]
    )

    flagged = {line.split(":")[0] for line in report.splitlines() if ": error:" in line}
    assert flagged == {path for path, strict in probes.items() if strict}, report
    for path in flagged:
        assert f"{path}:1: error: Function is missing a type annotation" in report
        assert f'{path}:5: error: Missing type arguments for generic type "dict"' in report


@given(
    records=st.integers(0, 250),
    puts=st.integers(0, 250),
    deletes=st.integers(0, 250),
    chunk=st.integers(1, 120),
)
def test_batch_windows_cut_the_actions_as_one_sequence(records, puts, deletes, chunk):
    """save_batch's windows over customers, alias puts and alias deletes are the chunks
    of the three lists laid end to end, in order, none empty, none over `chunk`."""
    actions = [("customer", n) for n in range(records)]
    actions += [("put", n) for n in range(puts)]
    actions += [("delete", n) for n in range(deletes)]
    expected = [actions[start : start + chunk] for start in range(0, len(actions), chunk)]

    lists = {
        "customer": [("customer", n) for n in range(records)],
        "put": [("put", n) for n in range(puts)],
        "delete": [("delete", n) for n in range(deletes)],
    }
    offsets = {"customer": 0, "put": records, "delete": records + puts}
    windows = [
        [
            item
            for kind in ("customer", "put", "delete")
            for item in _window(lists[kind], start - offsets[kind], start + chunk - offsets[kind])
        ]
        for start in range(0, len(actions), chunk)
    ]
    assert windows == expected
