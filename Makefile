# The two commands: `make run` (local stack) and `make test` (every check CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: install browser run test lint format bench package clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's chromium (never Playwright's download); install it if missing.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		SUDO=; \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends chromium; \
	fi

run: install
	$(PY) -m infra.local

test: install browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

# The deployment package: `chalice package` plus bytecode and trimmed data (infra/package.py).
STAGE ?= dev
package: install
	$(PY) -m infra.package --stage $(STAGE) dist/$(STAGE)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/import_time.py
	$(PY) bench/ingest.py
	$(PY) bench/redeem.py
	$(PY) bench/jobs.py
	$(PY) bench/metrics.py
	$(PY) bench/dashboard.py
	$(PY) bench/local_memory.py
	$(PY) bench/cost.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .chalice/deployments dist
