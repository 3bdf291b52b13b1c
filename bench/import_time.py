"""Cold start: a first sale in a fresh interpreter, against a hello-world Chalice app.

Both run from what Lambda would run: `python -m infra.package` (that is, `chalice package`
plus bytecode and trimmed data) unzipped as Lambda lays it out, the function code in its
task directory and the layer's site-packages on the path, in an isolated interpreter that
sees nothing else (`-I -S`). The environment is the deployed one with tracing on: Powertools
builds its X-Ray tracer, and X-Ray's context comes from a `_X_AMZN_TRACE_ID`, as Lambda
sets it (its UDP segments go to a daemon that is not there, which is what a lost segment
costs). Against moto server.

- bemtevi: import `app`, then serve one signed `POST /v1/sales` of a new customer
  (API Gateway's event through the Chalice handler).
- hello world: a Chalice app that imports boto3 and creates a DynamoDB client at import,
  then serves one request that does one GetItem.

Each figure is the time from the interpreter's first line to the response (interpreter
start-up, the same for both, is left out); the median of RUNS fresh interpreters each,
interleaved. The figures above the last line: the medians, the share of the first sale
spent importing, and the botocore sessions and clients the first sale created.

Last line: `cold_first_sale_ratio=<x>` (target <= 1.5).
"""

from __future__ import annotations

import copy
import json
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from local_aws import ROOT, emulated_aws

RUNS = 9
SITE_PACKAGES = Path("python") / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
TRACE_ID = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"

# The handler's view of one invocation: what Lambda's bootstrap does, timed.
INVOKE = """
import time
started = time.perf_counter()
import json, sys, types
sys.path[:0] = {paths!r}
import app
imported = time.perf_counter()
event = json.loads({event!r})
context = types.SimpleNamespace(
    function_name="bemtevi-prod-api_handler", memory_limit_in_mb=512, aws_request_id="r-1",
    invoked_function_arn="arn:aws:lambda:sa-east-1:123456789012:function:bemtevi-prod",
)
response = app.app(event, context)
finished = time.perf_counter()
assert response["statusCode"] < 300, response
print(json.dumps({{"seconds": finished - started, "import_seconds": imported - started}}))
"""

HELLO_WORLD = """import os

import boto3
from chalice import Chalice

app = Chalice(app_name="hello")
dynamodb = boto3.client("dynamodb")


@app.route("/")
def index():
    found = dynamodb.get_item(
        TableName=os.environ["HELLO_TABLE"], Key={"pk": {"S": "hello"}, "sk": {"S": "hello"}}
    )
    return {"found": "Item" in found}
"""

# Counts botocore sessions and clients during one cold sale (not timed).
COUNT_CLIENTS = """
import json, sys, types
sys.path[:0] = {paths!r}
import botocore.session
Session = botocore.session.Session
created = {{"sessions": 0, "clients": 0}}
original_init, original_create = Session.__init__, Session.create_client
def init(self, *args, **kwargs):
    created["sessions"] += 1
    original_init(self, *args, **kwargs)
def create(self, *args, **kwargs):
    created["clients"] += 1
    return original_create(self, *args, **kwargs)
Session.__init__, Session.create_client = init, create
import app
event = json.loads({event!r})
context = types.SimpleNamespace(
    function_name="bemtevi-prod-api_handler", memory_limit_in_mb=512, aws_request_id="r-1",
    invoked_function_arn="arn:aws:lambda:sa-east-1:123456789012:function:bemtevi-prod",
)
assert app.app(event, context)["statusCode"] < 300
print(json.dumps(created))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch, emulated_aws():
        run(Path(scratch))


def run(scratch: Path) -> None:
    from validate_docbr import CPF

    from functions.network import stores

    task, layer = unpacked(scratch)
    hello = hello_world(scratch, task)
    stores.create_tenant("bench", "Rede Bench")
    store = stores.add_store("bench", "centro", "Centro")
    cpfs = CPF().generate_list(RUNS + 1, repeat=False)
    environment = lambda_environment()
    bemtevi_paths = [str(task), str(layer)]
    hello_paths = [str(hello), str(layer)]

    hello_runs, bemtevi_runs = [], []
    for run_number in range(RUNS):
        hello_runs.append(invoke(hello_paths, hello_event(), environment))
        event = sale_event(store, f"cold-{run_number}", cpfs[run_number])
        bemtevi_runs.append(invoke(bemtevi_paths, event, environment))

    created = fresh_python(
        COUNT_CLIENTS.format(
            paths=bemtevi_paths, event=json.dumps(sale_event(store, "cold-count", cpfs[RUNS]))
        ),
        environment,
    )
    hello_seconds = statistics.median(run["seconds"] for run in hello_runs)
    bemtevi_seconds = statistics.median(run["seconds"] for run in bemtevi_runs)
    bemtevi_import = statistics.median(run["import_seconds"] for run in bemtevi_runs)
    print(f"runs={RUNS} each, interleaved; package from infra.package, tracing on")
    print(f"hello_world_get_item_s={hello_seconds:.4f}")
    print(f"bemtevi_cold_first_sale_s={bemtevi_seconds:.4f} (import app {bemtevi_import:.4f})")
    print(f"first_sale_botocore_sessions={created['sessions']} clients={created['clients']}")
    print(f"cold_first_sale_ratio={bemtevi_seconds / hello_seconds:.2f}")


def unpacked(scratch: Path) -> tuple[Path, Path]:
    """The deployment package as Lambda lays it out: the function in its task directory,
    the layer under /opt (here, under scratch)."""
    output = scratch / "package"
    subprocess.run(
        [sys.executable, "-m", "infra.package", "--stage", "prod", str(output)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    task, opt = scratch / "task", scratch / "opt"
    zipfile.ZipFile(output / "deployment.zip").extractall(task)
    zipfile.ZipFile(output / "layer-deployment.zip").extractall(opt)
    return task, opt / SITE_PACKAGES / "site-packages"


def hello_world(scratch: Path, task: Path) -> Path:
    """The hello-world function, packaged the same way: its app.py beside Chalice's
    runtime module (with bytecode), boto3 from the same place."""
    hello = scratch / "hello"
    shutil.copytree(task / "chalice", hello / "chalice")
    (hello / "app.py").write_text(HELLO_WORLD)
    py_compile.compile(
        str(hello / "app.py"),
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    from bemtevi.store.models import NetworkTable

    os.environ["HELLO_TABLE"] = NetworkTable.Meta.table_name
    return hello


def lambda_environment() -> dict[str, str]:
    """What Lambda sets for a function with active tracing, plus the bench's AWS."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    deployed = {
        **config["environment_variables"],
        **config["stages"]["prod"]["environment_variables"],
    }
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name.startswith("AWS_") or name in ("PATH", "HOME", "HELLO_TABLE")
    }
    return {
        **deployed,
        **inherited,
        "BEMTEVI_STAGE": os.environ["BEMTEVI_STAGE"],
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "AWS_LAMBDA_FUNCTION_NAME": "bemtevi-prod-api_handler",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "LAMBDA_TASK_ROOT": "/var/task",
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "_X_AMZN_TRACE_ID": TRACE_ID,
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    }


def invoke(paths: list[str], event: dict, environment: dict[str, str]) -> dict:
    return fresh_python(INVOKE.format(paths=paths, event=json.dumps(event)), environment)


def fresh_python(script: str, environment: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def api_event(method: str, path: str, headers: dict[str, str], body: str | None) -> dict:
    event = copy.deepcopy(json.loads((ROOT / "events" / "apigw-health.json").read_text()))
    all_headers = {**event["headers"], **headers}
    event.update(
        resource=path,
        path=path,
        httpMethod=method,
        headers=all_headers,
        multiValueHeaders={name: [value] for name, value in all_headers.items()},
        body=body,
    )
    event["requestContext"].update(resourcePath=path, httpMethod=method, path=f"/api{path}")
    return event


def hello_event() -> dict:
    return api_event("GET", "/", {}, None)


def sale_event(store: dict, sale_id: str, cpf: str) -> dict:
    from bemtevi.security.signing import signed_headers

    body = json.dumps(
        {
            "sale_id": sale_id,
            "occurred_at": "2026-11-20T15:30:00-03:00",
            "total": 15990,
            "customer": {"cpf": cpf, "name": "Cliente Frio"},
        }
    )
    headers = signed_headers(store["key_id"], store["secret"], "POST", "/v1/sales", body.encode())
    return api_event("POST", "/v1/sales", {**headers, "Content-Type": "application/json"}, body)


if __name__ == "__main__":
    main()
