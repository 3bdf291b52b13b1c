"""What a cold start keeps out of a first request's way."""

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
