"""What `chalice package` builds (through `python -m infra.package`, which adds bytecode
and drops unused data) stands alone: unzipped into an empty directory and run by a Python
that holds only boto3 (what the Lambda runtime gives), it imports and serves, from its
own bytecode, formatting money and dates in Brazilian Portuguese."""

import importlib.util
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

SERVE = """
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
TRACED_COLD_START = """
import json, sys, types
sys.path[:0] = [{task!r}, {layer!r}]
import app
event = json.load(open({event!r}))
context = types.SimpleNamespace(
    function_name="bemtevi-prod", memory_limit_in_mb=512, aws_request_id="r-1",
    invoked_function_arn="arn:aws:lambda:sa-east-1:123456789012:function:bemtevi-prod",
)
response = app.app(event, context)
from bemtevi import observability
print(json.dumps({{
    "status": response["statusCode"],
    "body": json.loads(response["body"]),
    "traced": observability.tracer is not None,
    "loaded": sorted(name for name in {unwanted!r} if name in sys.modules),
}}))
"""
# What Lambda sets for a function with active tracing.
TRACED_AS_DEPLOYED = {
    "POWERTOOLS_TRACE_DISABLED": None,
    "AWS_LAMBDA_FUNCTION_NAME": "bemtevi-prod",
    "_X_AMZN_TRACE_ID": (
        "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"
    ),
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
}
# What a sale never uses: the message send path, the portal's links and templates.
NOT_ON_THE_SALE_PATH = [
    "functions.messaging.sending",
    "bemtevi.channels",
    "bemtevi.security.links",
    "jinja2",
    "babel",
]
FORMAT = """
import datetime, json, sys
sys.path[:0] = [{task!r}, {layer!r}]
from babel.dates import format_date
from bemtevi.domain import customers, money
print(json.dumps({{
    "money": money.brl(123456789),
    "typed": money.centavos_from_text("R$ 1.234,56", "total"),
    "date": format_date(datetime.date(2026, 3, 7), "EEEE, d 'de' MMMM 'de' y", locale="pt_BR"),
    "phone": customers.normalized_phone("(11) 98765-4321", "phone"),
}}))
"""
VALIDATE = """
import json, sys
sys.path[:0] = [{task!r}, {layer!r}]
from bemtevi import contract
from bemtevi.errors import InvalidInput
refusals = []
for payload in json.loads({payloads!r}):
    try:
        contract.validated("SaleRequest", payload)
        refusals.append(None)
    except InvalidInput as error:
        refusals.append([error.code, error.field])
print(json.dumps({{
    "module": contract._validator("SaleRequest").__module__,
    "refusals": refusals,
    "filled": contract.validated("SaleRequest", json.loads({payloads!r})[0]),
}}))
"""
SALES_TO_VALIDATE = [
    {"sale_id": "v-1", "occurred_at": "2026-11-20T15:30:00-03:00", "total": 1000},
    {"sale_id": "v-2", "occurred_at": "2026-11-20T15:30:00-03:00", "total": -1},
    {"sale_id": "v-3", "occurred_at": "ontem", "total": 1000},
    {"sale_id": "v-4", "occurred_at": "2026-11-20T15:30:00-03:00", "total": 1, "extra": 1},
    {"sale_id": "v-5", "occurred_at": "2026-11-20T15:30:00-03:00", "total": 1, "customer": {}},
]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("package")
    environment = {**os.environ, "AWS_DEFAULT_REGION": "sa-east-1"}
    subprocess.run(
        [sys.executable, "-m", "infra.package", "--stage", "prod", str(output)],
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


@pytest.fixture
def unzipped(package, tmp_path) -> tuple[Path, Path]:
    """The function code and the layer's site-packages, as Lambda lays them out."""
    task, opt = tmp_path / "task", tmp_path / "opt"
    zipfile.ZipFile(package / "deployment.zip").extractall(task)
    zipfile.ZipFile(package / "layer-deployment.zip").extractall(opt)
    return task, opt / "python" / "lib" / "python3.11" / "site-packages"


def run_alone(python: Path, task: Path, script: str, **lambda_environment: str | None) -> dict:
    """Run `script` in the boto3-only Python; `lambda_environment` sets (or, with None,
    removes) variables."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.startswith(("AWS_", "BEMTEVI_", "POWERTOOLS_")) or name in ("PATH", "HOME")
    }
    for name, value in lambda_environment.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    result = subprocess.run(
        [python, "-I", "-c", script],
        cwd=task,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def bytecode_files(*directories: Path) -> set[Path]:
    return {path for directory in directories for path in directory.rglob("*.pyc")}


def test_the_package_imports_and_serves_health_alone(unzipped, boto3_only_python, aws):
    task, layer = unzipped
    shipped = bytecode_files(task, layer)
    script = SERVE.format(
        task=str(task), layer=str(layer), event=str(ROOT / "events" / "apigw-health.json")
    )
    served = run_alone(boto3_only_python, task, script)
    assert served["response"]["statusCode"] == 200
    assert json.loads(served["response"]["body"])["tables"] == {
        "network": "ok",
        "customers": "ok",
        "sales": "ok",
    }
    assert served["bemtevi"].startswith(str(layer))
    assert not served["boto3"].startswith(str(ROOT))
    assert bytecode_files(task, layer) == shipped, "a module was compiled at run time"


def test_a_traced_cold_start_loads_neither_boto3_nor_asyncio(unzipped, boto3_only_python, aws):
    """Tracing on, as deployed: the X-Ray SDK patches botocore only (which PynamoDB's
    calls go through), and the pinned wrapt does not pull in asyncio."""
    task, layer = unzipped
    script = TRACED_COLD_START.format(
        task=str(task),
        layer=str(layer),
        event=str(ROOT / "events" / "apigw-health.json"),
        unwanted=["boto3", "asyncio", "aws_xray_sdk.ext.pynamodb"],
    )
    served = run_alone(
        boto3_only_python, task, script, LAMBDA_TASK_ROOT=str(task), **TRACED_AS_DEPLOYED
    )
    assert (served["status"], served["traced"], served["loaded"]) == (200, True, [])


def test_a_cold_sale_loads_only_the_sale_path(unzipped, boto3_only_python, aws, tmp_path):
    """A first sale of a new customer (which queues the welcome message) from the
    package, tracing on: it is served without loading the send machinery."""
    from bemtevi.security.signing import signed_headers
    from functions.network import stores

    task, layer = unzipped
    stores.create_tenant("rede-fria", "Rede Fria")
    store = stores.add_store("rede-fria", "loja-1", "Loja 1")
    body = json.dumps(
        {
            "sale_id": "frio-1",
            "occurred_at": "2026-11-20T15:30:00-03:00",
            "total": 15990,
            "customer": {"cpf": "52998224725", "name": "Cliente Frio"},
        }
    )
    headers = {
        **signed_headers(store["key_id"], store["secret"], "POST", "/v1/sales", body.encode()),
        "Content-Type": "application/json",
    }
    event = json.loads((ROOT / "events" / "apigw-health.json").read_text())
    headers = {**event["headers"], **headers}
    event.update(
        resource="/v1/sales",
        path="/v1/sales",
        httpMethod="POST",
        headers=headers,
        multiValueHeaders={name: [value] for name, value in headers.items()},
        body=body,
    )
    event["requestContext"].update(resourcePath="/v1/sales", httpMethod="POST")
    (tmp_path / "sale.json").write_text(json.dumps(event))
    script = TRACED_COLD_START.format(
        task=str(task),
        layer=str(layer),
        event=str(tmp_path / "sale.json"),
        unwanted=NOT_ON_THE_SALE_PATH,
    )
    served = run_alone(
        boto3_only_python, task, script, LAMBDA_TASK_ROOT=str(task), **TRACED_AS_DEPLOYED
    )
    assert served["status"] == 201, served
    assert served["body"]["points_earned"] == 159
    assert served["loaded"] == []


def test_the_package_formats_money_dates_and_phones_in_portuguese_alone(
    unzipped, boto3_only_python
):
    task, layer = unzipped
    formatted = run_alone(boto3_only_python, task, FORMAT.format(task=str(task), layer=str(layer)))
    assert formatted == {
        "money": "R$\xa01.234.567,89",
        "typed": 123456,
        "date": "sábado, 7 de março de 2026",
        "phone": "+5511987654321",
    }


def test_the_package_validates_with_validators_compiled_at_package_time(unzipped):
    """The layer ships every schema's validator as a module (with its pyc, see below),
    generated from the same document: a cold request compiles none, and each answers
    exactly as the one compiled at run time from the source tree."""
    from bemtevi import contract
    from bemtevi.errors import InvalidInput

    task, layer = unzipped
    compiled = layer / "bemtevi" / "contract" / "compiled"
    schemas = contract.document()["components"]["schemas"]
    assert {path.stem for path in compiled.glob("*.py")} == {
        "__init__",
        *(contract.compiled_module_name(name) for name in schemas),
    }
    script = VALIDATE.format(
        task=str(task), layer=str(layer), payloads=json.dumps(SALES_TO_VALIDATE)
    )
    answered = run_alone(Path(sys.executable), task, script)
    assert answered["module"] == "bemtevi.contract.compiled.sale_request"
    expected = []
    for payload in SALES_TO_VALIDATE:
        try:
            contract.validated("SaleRequest", payload)
            expected.append(None)
        except InvalidInput as error:
            expected.append([error.code, error.field])
    assert answered["refusals"] == expected
    assert expected[0] is None
    assert expected[1] == ["invalid_minimum", "total"]
    assert answered["filled"] == contract.validated("SaleRequest", SALES_TO_VALIDATE[0])


def test_every_module_ships_with_its_bytecode_for_the_runtime(package):
    template = json.loads((package / "sam.json").read_text())
    runtimes = {
        resource["Properties"]["Runtime"]
        for resource in template["Resources"].values()
        if "Runtime" in resource.get("Properties", {})
    }
    assert runtimes == {f"python{sys.version_info.major}.{sys.version_info.minor}"}
    tag = sys.implementation.cache_tag
    for archive in ("deployment.zip", "layer-deployment.zip"):
        with zipfile.ZipFile(package / archive) as zipped:
            names = set(zipped.namelist())
            modules = [name for name in names if name.endswith(".py")]
            assert modules
            missing = []
            for module in modules:
                folder, _, file = module.rpartition("/")
                pyc = f"{folder}/__pycache__/{file[:-3]}.{tag}.pyc".lstrip("/")
                if pyc not in names:
                    missing.append(module)
                    continue
                header = zipped.read(pyc)[:8]
                assert header[:4] == importlib.util.MAGIC_NUMBER, pyc
                assert int.from_bytes(header[4:8], "little") == 0b01, pyc  # unchecked hash
            assert not missing, missing[:10]


def test_the_layer_ships_only_the_locale_and_phone_data_we_use(package):
    names = zipfile.ZipFile(package / "layer-deployment.zip").namelist()
    site = "python/lib/python3.11/site-packages/"
    locale_data = {
        name.removeprefix(f"{site}babel/locale-data/")
        for name in names
        if name.startswith(f"{site}babel/locale-data/")
    }
    assert locale_data == {"root.dat", "pt.dat", "pt_BR.dat", "LICENSE.unicode"}
    assert f"{site}babel/global.dat" in names
    assert not [name for name in names if name.startswith(f"{site}phonenumbers/geodata/")]
    assert not [name for name in names if name.startswith(f"{site}phonenumbers/carrierdata/")]


def test_the_function_zip_holds_only_the_app(package):
    names = zipfile.ZipFile(package / "deployment.zip").namelist()
    assert "app.py" in names
    assert not [name for name in names if name.startswith(("tests/", "infra/", "layers/", ".venv"))]


def test_the_sam_template_passes_cfn_lint(package):
    result = subprocess.run(
        [VENV_BIN / "cfn-lint", str(package / "sam.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
