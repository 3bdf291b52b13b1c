"""What a cold start keeps out of a first request's way."""

import json
import os
import py_compile
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_app_freezes_what_the_imports_built():
    """Frozen, the modules, classes and functions loaded at import are never walked
    again by a full collection (bench/import_time.py)."""
    result = subprocess.run(
        [sys.executable, "-B", "-c", "import gc, app; print(gc.get_freeze_count())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(result.stdout.strip().splitlines()[-1]) > 10_000


def test_a_lazy_module_loaded_ahead_imports_on_its_own_thread(tmp_path, monkeypatch):
    """A cold sale loads its module while it authenticates: the import runs on another
    thread, and the first use waits for it and gets the module it loaded."""
    from bemtevi.lazy import lazy_module

    (tmp_path / "cold_route_module.py").write_text(
        "import threading, time\ntime.sleep(0.05)\nloaded_on = threading.current_thread().name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    module = lazy_module("cold_route_module")
    module.load_ahead()
    assert module.loaded_on == "load cold_route_module"
    sys.modules.pop("cold_route_module", None)


# A cold Lambda: import the app, then serve one request that needs no AWS (the contract).
LAMBDA_COLD_START = """
import gc, json, types
collections = lambda: sum(generation["collections"] for generation in gc.get_stats())
before = collections()
import app
after_import = {"enabled": gc.isenabled(), "collections": collections() - before}
event = json.load(open("events/apigw-health.json"))
event.update(path="/v1/openapi.json", resource="/v1/openapi.json")
event["requestContext"].update(resourcePath="/v1/openapi.json", path="/api/v1/openapi.json")
frozen = gc.get_freeze_count()
response = app.app(event, types.SimpleNamespace(aws_request_id="r-1"))
print(json.dumps({"import": after_import, "during_request": collections() - before,
    "status": response["statusCode"], "enabled": gc.isenabled(),
    "frozen_more": gc.get_freeze_count() > frozen}))
"""


def test_on_lambda_nothing_is_collected_until_the_first_request_has_been_answered():
    """No collection runs while a cold Lambda imports and serves its first request; the
    collector is on afterwards, with what the first request loaded frozen too. (app.py
    is compiled first, as the package ships it: compiling it would run before its code.)"""
    py_compile.compile(str(ROOT / "app.py"), doraise=True)
    result = subprocess.run(
        [sys.executable, "-c", LAMBDA_COLD_START],
        cwd=ROOT,
        env={
            **os.environ,
            "AWS_LAMBDA_FUNCTION_NAME": "bemtevi-test",
            "POWERTOOLS_TRACE_DISABLED": "true",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "import": {"enabled": False, "collections": 0},
        "during_request": 0,
        "status": 200,
        "enabled": True,
        "frozen_more": True,
    }


def test_an_event_is_handled_with_the_collector_on():
    """A job may run for minutes: an event Lambda starts collecting before its first
    event, not after it."""
    import gc

    from app import collect_after_cold_start

    during: list[bool] = []
    gc.disable()
    try:
        collect_after_cold_start(object(), lambda event: during.append(gc.isenabled()))
    finally:
        gc.enable()
        gc.unfreeze()
    assert during == [True]
