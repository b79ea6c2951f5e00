# Perjumpaan: `make run` serves the demo on SQLite, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-sqlite test-postgres lint typecheck lock bench bench-quick clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Test tooling from the npm registry (axe-core for the accessibility tests), exact versions from
# package-lock.json. Without npm those tests skip (and fail in CI, which installs npm).
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility tests (axe-core) will be skipped"; fi

run: install
	$(BIN)/perjumpaan migrate --noinput
	$(BIN)/perjumpaan demo --if-empty
	$(BIN)/perjumpaan runserver $(HOST):$(PORT)

# SQLite always; PostgreSQL too when one answers (always in CI); Chromium tests when Chromium is there.
test: install node_modules/.package-lock.json
	scripts/run-tests

test-sqlite: install node_modules/.package-lock.json
	DATABASE_URL= $(BIN)/pytest

test-postgres: install node_modules/.package-lock.json
	DATABASE_URL=$${PERJUMPAAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/perjumpaan makemigrations --check --dry-run

typecheck: install
	$(BIN)/mypy src

# --- Benchmarks (bench/README.md): JSON results under bench/results/ ---
# `make bench` runs on SQLite, and on PostgreSQL too when BENCH_POSTGRES_URL names a server (a throwaway
# database is created there and dropped), e.g. BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
BENCH_POSTGRES_URL ?=

bench: install
	DATABASE_URL= $(BIN)/python bench/checkin_bench.py
	DATABASE_URL= $(BIN)/python bench/ops_bench.py
	DATABASE_URL= $(BIN)/python bench/dashboard_bench.py
	if [ -n "$(BENCH_POSTGRES_URL)" ]; then DATABASE_URL=$(BENCH_POSTGRES_URL) $(BIN)/python bench/checkin_bench.py; fi
	if [ -n "$(BENCH_POSTGRES_URL)" ]; then DATABASE_URL=$(BENCH_POSTGRES_URL) $(BIN)/python bench/ops_bench.py; fi
	if [ -n "$(BENCH_POSTGRES_URL)" ]; then DATABASE_URL=$(BENCH_POSTGRES_URL) $(BIN)/python bench/dashboard_bench.py; fi

# A smaller run, under three minutes.
bench-quick: install
	DATABASE_URL= $(BIN)/python bench/checkin_bench.py --quick
	DATABASE_URL= $(BIN)/python bench/ops_bench.py --quick
	DATABASE_URL= $(BIN)/python bench/dashboard_bench.py --quick
# --- end benchmarks ---

# --- Impact validation (docs/impact.md): simulated rollouts check the dashboard's inference ---
# 400 rollouts per scenario, two worker processes: under ten minutes on two cores.
.PHONY: validate-impact
validate-impact: install
	$(BIN)/perjumpaan validate_impact --runs 400
# --- end impact validation ---

# Re-resolve the exact versions in requirements.lock from pyproject.toml's ranges.
lock:
	rm -rf /tmp/perjumpaan-lock && $(PYTHON) -m venv /tmp/perjumpaan-lock
	/tmp/perjumpaan-lock/bin/pip install --quiet ".[dev]"
	/tmp/perjumpaan-lock/bin/pip freeze --exclude perjumpaan > requirements.lock

# --- Reliability (docs/operations.md) ---------------------------------------------------------------
# The full drills: 10,000 check-ins from 500 clients, the same with gunicorn killed half-way, a 20,000-row
# import killed while writing (SQLite, then PostgreSQL when one answers), and the API fuzzed with 200
# examples per operation. Prints the figures; JSON under bench/results/.
reliability: install
	DATABASE_URL= $(BIN)/python tests/reliability/drills.py
	if DATABASE_URL=$${PERJUMPAAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	   $(BIN)/python -c 'import os, psycopg; psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()' 2>/dev/null; then \
	  DATABASE_URL=$${PERJUMPAAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python tests/reliability/drills.py; \
	else echo "PostgreSQL does not answer: its drills are skipped"; fi
	DATABASE_URL= PERJUMPAAN_FUZZ_EXAMPLES=200 PERJUMPAAN_FUZZ_RANDOM=1 $(BIN)/pytest -m reliability \
	  tests/reliability/test_fuzz_api.py tests/reliability/test_api_findings.py

# Known vulnerabilities: pip-audit on requirements.lock, bandit on src/ (scripts/audit-deps).
audit: install
	scripts/audit-deps

clean:
	rm -rf $(VENV) build src/*.egg-info
