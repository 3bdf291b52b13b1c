"""The local stack of `make run`, started as a process on free ports."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CREDENTIAL = re.compile(r"^\s+(\S+)\s+key=(bk_\w+)\s+secret=(bs_\S+)$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LocalStack:
    process: subprocess.Popen
    base_url: str
    aws_endpoint: str
    stores: dict[str, dict] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


def start_local_stack() -> LocalStack:
    api_port, aws_port = free_port(), free_port()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.pop("BEMTEVI_STAGE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local", "--port", str(api_port), "--aws-port", str(aws_port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = LocalStack(process, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{aws_port}")
    deadline = time.monotonic() + 120
    for line in process.stdout:
        stack.output.append(line)
        found = CREDENTIAL.match(line)
        if found:
            store_id, key_id, secret = found.groups()
            stack.stores[store_id] = {"id": store_id, "key_id": key_id, "secret": secret}
        if line.startswith("Ctrl-C"):
            threading.Thread(target=_drain, args=(process, stack.output), daemon=True).start()
            return stack
        if time.monotonic() > deadline:
            break
    process.kill()
    raise AssertionError("local stack did not start:\n" + "".join(stack.output))


def _drain(process: subprocess.Popen, output: list[str]) -> None:
    """Keep reading the stack's output, or its pipe fills and the server blocks."""
    for line in process.stdout:
        output.append(line)


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    stack = start_local_stack()
    yield stack
    if stack.process.poll() is None:
        stack.stop()
