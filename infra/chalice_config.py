"""`.chalice/config.json` read strictly: a key written twice is an error, not the last
one silently winning (JSON keeps the last `lambda_functions`, and the functions it
dropped deploy with the defaults). Chalice itself reads the file leniently, so `make run`
and the tests read it through here first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalice.config import Config

CONFIG_PATH = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


class DuplicateKey(ValueError):
    pass


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(f"{CONFIG_PATH.name}: key {key!r} appears twice in one object")
        found[key] = value
    return found


def load(path: Path = CONFIG_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(), object_pairs_hook=_refuse_duplicates)


def function_config(stage: str, function_name: str, path: Path = CONFIG_PATH) -> Config:
    """What Chalice will deploy `function_name` with in `stage`, by Chalice's own rules."""
    config = Config(chalice_stage=stage, config_from_disk=load(path))
    return config.scope(stage, function_name)
