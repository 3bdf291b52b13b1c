"""Cold-start cost: time to import `app` against a hello-world Chalice app plus boto3.

Each figure is the best of several fresh interpreters, measured in this one run. The
route modules load on first use (bemtevi.lazy), so `import app` is light; the first sale
then loads its modules, and `first_sale_ratio` shows that whole cold path. The
X-Ray tracer figure is informative: Powertools builds the X-Ray recorder only in Lambda
with tracing on (`xray: true` in .chalice/config.json); its line shows the cost.
Last line: `import_ratio=<x>` (target <= 1.3).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 11
MEASURE = """
import time
started = time.perf_counter()
{imports}
print(time.perf_counter() - started)
"""
HELLO_WORLD = "import boto3\nfrom chalice import Chalice\napp = Chalice(app_name='hello')"
BEMTEVI = "import app"
FIRST_SALE = (
    "import app, functions.auth, functions.sales, fastjsonschema, validate_docbr, "
    "phonenumbers, email_validator, cryptography.hazmat.primitives.ciphers.aead"
)


def best_import_seconds(imports: str, **extra_environment: str) -> float:
    environment = {
        **os.environ,
        **extra_environment,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers'}",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "AWS_DEFAULT_REGION": "sa-east-1",
    }
    timings = []
    for _ in range(RUNS):
        result = subprocess.run(
            [sys.executable, "-c", MEASURE.format(imports=imports)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        timings.append(float(result.stdout.strip().splitlines()[-1]))
    return min(timings)


def main() -> None:
    hello = best_import_seconds(HELLO_WORLD)
    bemtevi = best_import_seconds(BEMTEVI)
    in_lambda = best_import_seconds(
        BEMTEVI, AWS_LAMBDA_FUNCTION_NAME="bench", LAMBDA_TASK_ROOT=str(ROOT)
    )
    print(f"hello_world_chalice_boto3_import_s={hello:.4f}")
    print(f"bemtevi_app_import_s={bemtevi:.4f}")
    first_sale = best_import_seconds(FIRST_SALE)
    print(f"bemtevi_app_import_with_xray_tracer_s={in_lambda:.4f} (Lambda with tracing on)")
    print(f"bemtevi_first_sale_imports_s={first_sale:.4f} (app plus what a sale loads)")
    print(f"first_sale_ratio={first_sale / hello:.2f}")
    print(f"import_ratio={bemtevi / hello:.2f}")


if __name__ == "__main__":
    main()
