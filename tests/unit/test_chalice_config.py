"""`.chalice/config.json` is read refusing duplicate keys, and every function deploys with
the limits it was given, as Chalice's own Config resolves them per stage."""

import json

import pytest

from infra.chalice_config import DuplicateKey, function_config, load

STAGES = ("dev", "prod", "local")
# timeout (s), memory (MB), as each function needs them
LIMITS = {
    "api_handler": (30, 512),
    "monthly_metrics": (900, 1024),
    "monthly_compensation": (900, 512),
    "nightly_rollup": (900, 512),
    "run_job_shard": (900, 1024),
    "send_outbox": (120, 512),
    "start_message_jobs": (120, 512),
    "send_campaigns": (900, 512),
    "receive_sms": (30, 512),
}


def test_the_config_has_no_key_twice():
    assert set(load()["stages"]) == set(STAGES)


def test_a_key_written_twice_is_refused(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"lambda_functions": {"a": {}}, "lambda_functions": {"b": {}}}')
    with pytest.raises(DuplicateKey, match="lambda_functions"):
        load(path)
    path.write_text(json.dumps({"lambda_functions": {"a": {}}}))
    assert load(path) == {"lambda_functions": {"a": {}}}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("function_name", sorted(LIMITS))
def test_each_function_deploys_with_its_own_limits(stage, function_name):
    config = function_config(stage, function_name)
    assert (config.lambda_timeout, config.lambda_memory_size) == LIMITS[function_name]


def test_every_function_of_the_app_has_its_limits_checked():
    from app import app

    names = {"api_handler", *(handler.name for handler in app.event_sources)}
    assert names == set(LIMITS)
