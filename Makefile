# Minsheng: `make run` to try it, `make test` to test it. Nothing else is needed but Python 3.11+.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
RUN_PACKAGES := fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium gettext

.PHONY: run test setup lint bench clean

run: setup
	@scripts/ensure-system-packages $(RUN_PACKAGES)
	@$(BIN)/minsheng init-secrets >/dev/null
	$(BIN)/minsheng migrate --noinput -v0
	$(BIN)/minsheng collectstatic --noinput -v0
	$(BIN)/minsheng seed-demo --if-empty
	PORT=$(PORT) $(BIN)/minsheng serve

# The suite runs in one worker per core (pytest-xdist; each worker has its own test database).
TEST_WORKERS ?= auto
test: setup
	@scripts/ensure-system-packages $(TEST_PACKAGES)
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy src bench

# bandit (no medium/high findings) and pip-audit of the pinned dependencies (scripts/security-scan).
.PHONY: security
security: setup
	scripts/security-scan

bench: setup
	@$(BIN)/minsheng init-secrets >/dev/null
	$(BIN)/python -m bench $(BENCH_ARGS)

setup: $(VENV)/.installed src/minsheng/core/static/vendor/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Minsheng needs Python 3.11 or newer." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

src/minsheng/core/static/vendor/.installed: package.json package-lock.json
	@command -v npm >/dev/null || scripts/ensure-system-packages npm
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@scripts/vendor-assets
	@touch $@

clean:
	rm -rf $(VENV) node_modules src/minsheng/core/static/vendor
