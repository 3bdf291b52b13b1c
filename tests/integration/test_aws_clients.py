"""One botocore session and one client per service per process: a cold first sale and a
metrics run (whose readers are threads) create no more, whatever the number of models."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter (a cold Lambda), counting what botocore creates: sessions, and
# clients per service.
COLD_PROCESS = """
import json, sys
from collections import Counter
import botocore.session

sessions, clients = [0], Counter()
Session = botocore.session.Session
original_init, original_create = Session.__init__, Session.create_client

def counted_init(self, *args, **kwargs):
    sessions[0] += 1
    original_init(self, *args, **kwargs)

def counted_create(self, service_name, *args, **kwargs):
    clients[service_name] += 1
    return original_create(self, service_name, *args, **kwargs)

Session.__init__ = counted_init
Session.create_client = counted_create

from datetime import date
from chalice.test import Client
from app import app
from bemtevi.security.signing import signed_headers
from functions.reporting import snapshots

store = json.loads(sys.argv[1])
body = json.dumps({
    "sale_id": "v-cold", "occurred_at": "2026-11-20T15:30:00-03:00", "total": 12345,
    "customer": {"cpf": "52998224725"},
}).encode()
with Client(app) as client:
    headers = signed_headers(store["key_id"], store["secret"], "POST", "/v1/sales", body)
    response = client.http.post("/v1/sales", headers=headers, body=body)
assert response.status_code == 201, response.json_body
after_sale = {"sessions": sessions[0], "clients": dict(clients)}
snapshots.snapshot(store["tenant"], date(2026, 12, 1))
print(json.dumps({"after_sale": after_sale, "sessions": sessions[0], "clients": dict(clients)}))
"""


def test_a_cold_sale_and_a_metrics_run_use_one_session_and_one_client_per_service(store):
    result = subprocess.run(
        [sys.executable, "-c", COLD_PROCESS, json.dumps({**store, "tenant": "rede-teste"})],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers'}"},
        capture_output=True,
        text=True,
        check=True,
    )
    created = json.loads(result.stdout.strip().splitlines()[-1])
    assert created["after_sale"] == {"sessions": 1, "clients": {"dynamodb": 1, "kms": 1}}
    assert created["sessions"] == 1
    assert created["clients"] == {"dynamodb": 1, "kms": 1}
