"""The local stack behind `make run`: moto server as the embedded AWS on 127.0.0.1,
tables and KMS key created, the demo network seeded, `chalice local` serving the API.
Ctrl-C stops both; if this process dies any other way (even SIGKILL, or the kernel's
out-of-memory killer), `chalice local` dies with it instead of answering 500 without its
AWS."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "sa-east-1",
    "BEMTEVI_STAGE": "local",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "BEMTEVI_WHATSAPP_RECORD": str(ROOT / ".local" / "whatsapp.jsonl"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run bemtevi locally.")
    parser.add_argument(
        "--aws-port", type=int, default=int(os.environ.get("BEMTEVI_AWS_PORT", 5055))
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BEMTEVI_PORT", 8000)))
    arguments = parser.parse_args(argv)
    endpoint = f"http://127.0.0.1:{arguments.aws_port}"
    base = f"http://127.0.0.1:{arguments.port}"
    os.environ.update(LOCAL_ENVIRONMENT, AWS_ENDPOINT_URL=endpoint, BEMTEVI_PUBLIC_URL=base)

    from infra.bootstrap import bootstrap
    from infra.chalice_config import function_config
    from infra.emulator import EmulatedAws
    from infra.seed import DEMO_TENANT, seed_demo_network, seed_demo_sales, seed_demo_users

    function_config("local", "api_handler")  # a key written twice stops here, not in AWS
    aws = EmulatedAws("127.0.0.1", arguments.aws_port)
    aws.start()
    bootstrap()
    stores = seed_demo_network()
    seed_demo_sales()
    managers = seed_demo_users()
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infra.local_api",
            "local",
            "--no-autoreload",
            "--stage",
            "local",
            "--host",
            "127.0.0.1",
            "--port",
            str(arguments.port),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
        preexec_fn=_dies_with(os.getpid()),
    )
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        _wait_until_up(f"{base}/health", api)
        _print_banner(base, endpoint, DEMO_TENANT, stores, managers)
        return api.wait()
    except KeyboardInterrupt:
        print("\nParando o bemtevi local...", flush=True)
        return 0
    finally:
        _stop_process_group(api)
        aws.stop()


def _dies_with(parent: int) -> Callable[[], None] | None:
    """What a child runs before exec so that the kernel sends it SIGTERM when `parent`
    dies (Linux's PR_SET_PDEATHSIG; elsewhere nothing). libc and prctl are resolved here,
    before the fork: the child, forked beside moto's threads, only makes the syscall."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # libc, already loaded
    set_parent_death_signal = 1  # PR_SET_PDEATHSIG in <linux/prctl.h>

    def preexec() -> None:
        prctl(set_parent_death_signal, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def _stop_process_group(process: subprocess.Popen) -> None:
    """chalice local reloads through a child process: stop the whole group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _stop_on_terminate(*_: object) -> None:
    raise KeyboardInterrupt


def _wait_until_up(url: str, api: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise SystemExit(f"chalice local saiu com código {api.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"chalice local não respondeu em {timeout:.0f}s")


def _print_banner(
    base: str, endpoint: str, tenant: tuple[str, str], stores: list[dict], managers: list[dict]
) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    lines = [
        "",
        f"bemtevi local pronto: API em {base} (AWS emulada em {endpoint})",
        f"Rede {tenant[1]!r} (id {tenant[0]}), credenciais das lojas (o segredo aparece só agora):",
    ]
    for store in stores:
        lines.append(f"  {store['id']:<10} key={store['key_id']}  secret={store['secret']}")
    if managers:
        lines += ["", f"Painel do gestor: {base}/painel (e-mail e senha, que aparecem só agora):"]
    for manager in managers:
        scope = "rede toda" if manager["role"] == "rede" else "loja " + ", ".join(manager["stores"])
        lines.append(f"  {manager['email']:<28} senha={manager['password']}  ({scope})")
    example = stores[0] if stores else None
    lines += ["", "Experimente:", f"  curl {base}/health"]
    if example:
        lines.append(
            f"  events/signed-curl.sh {example['key_id']} {example['secret']} GET {base}/v1/me"
        )
    lines += [
        "",
        "Para usar o comando `bemtevi` contra esta pilha, em outro terminal:",
        "  export "
        + " ".join(f"{k}={v}" for k, v in sorted(LOCAL_ENVIRONMENT.items()))
        + f" AWS_ENDPOINT_URL={endpoint} BEMTEVI_PUBLIC_URL={base}",
        "  .venv/bin/bemtevi store list --tenant demo",
        f"  .venv/bin/bemtevi jobs run welcome --tenant demo --date {tomorrow}"
        "   # envia as boas-vindas (como amanhã, 10h)",
        "  .venv/bin/bemtevi messages list --tenant demo",
        "  .venv/bin/bemtevi user list --tenant demo",
        "As mensagens de WhatsApp ficam em "
        + LOCAL_ENVIRONMENT["BEMTEVI_WHATSAPP_RECORD"]
        + "; cada mensagem traz um link /l/... para o portal do cliente.",
        "",
        "Ctrl-C para parar.",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
