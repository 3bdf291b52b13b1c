"""What `chalice package` builds stands alone: unzipped into an empty directory and run by
a Python that holds only boto3 (what the Lambda runtime gives), it imports and serves."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow

SERVE_HEALTH = """
import json, sys, types
sys.path[:0] = [{task!r}, {layer!r}]
import app, bemtevi, boto3
event = json.load(open({event!r}))
context = types.SimpleNamespace(
    function_name="bemtevi-prod", memory_limit_in_mb=512, aws_request_id="r-1",
    invoked_function_arn="arn:aws:lambda:sa-east-1:123456789012:function:bemtevi-prod",
)
response = app.app(event, context)
print(json.dumps({{"response": response, "bemtevi": bemtevi.__file__, "boto3": boto3.__file__}}))
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("package")
    environment = {**os.environ, "AWS_DEFAULT_REGION": "sa-east-1"}
    subprocess.run(
        [VENV_BIN / "chalice", "package", "--stage", "prod", str(output)],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    return output


@pytest.fixture(scope="module")
def boto3_only_python(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("lambda-runtime") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "boto3==1.44.5",
        ],
        check=True,
    )
    return venv / "bin" / "python"


def test_the_package_imports_and_serves_health_alone(package, boto3_only_python, aws, tmp_path):
    task, opt = tmp_path / "task", tmp_path / "opt"
    zipfile.ZipFile(package / "deployment.zip").extractall(task)
    zipfile.ZipFile(package / "layer-deployment.zip").extractall(opt)
    layer = opt / "python" / "lib" / "python3.11" / "site-packages"
    script = SERVE_HEALTH.format(
        task=str(task), layer=str(layer), event=str(ROOT / "events" / "apigw-health.json")
    )
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.startswith(("AWS_", "BEMTEVI_", "POWERTOOLS_")) or name in ("PATH", "HOME")
    }
    result = subprocess.run(
        [boto3_only_python, "-I", "-c", script],
        cwd=task,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["response"]["statusCode"] == 200
    assert json.loads(served["response"]["body"])["tables"] == {
        "network": "ok",
        "customers": "ok",
        "sales": "ok",
    }
    assert served["bemtevi"].startswith(str(layer))
    assert not served["boto3"].startswith(str(ROOT))


def test_the_function_zip_holds_only_the_app(package):
    names = zipfile.ZipFile(package / "deployment.zip").namelist()
    assert "app.py" in names
    assert not [name for name in names if name.startswith(("tests/", "infra/", "layers/", ".venv"))]


def test_the_sam_template_passes_cfn_lint(package):
    result = subprocess.run(
        [VENV_BIN / "cfn-lint", str(package / "sam.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
