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
