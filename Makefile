# Two commands do everything on a fresh machine with Python 3.11 and Node:
#   make run   - set up, load the demo and serve the portal (web + Celery worker + beat);
#                PORT=8010 make run serves it on another port
#   make test  - set up and run the whole test suite
# DATABASE_URL / REDIS_URL switch from SQLite and the file broker to Postgres and Redis.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist): each has its own test database, browser and live server.
# Tests go out a module (or test class) at a time, in the order tests/conftest.py sorts them
# (the longest first); xdist's own reordering by test count would start them last.
TEST_WORKERS ?= 2
DEV := DJANGO_SETTINGS_MODULE=config.settings.dev

.PHONY: run test setup lint lock frontend benchmark clean

run: setup
	@mkdir -p var/broker/queue var/broker/processed var/broker/control var/emails
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	-$(DEV) $(BIN)/python manage.py load_cpv_codes
	@echo ""
	@echo "Starting the portal at http://127.0.0.1:$(PORT)/ (emails are written to var/emails/)."
	@echo "The demo logins are in var/demo-logins.txt; they are printed again once it has started."
	@echo "Stop it with Ctrl+C."
	@# honcho gives each process its own PORT (web gets $(PORT)); PORTAL_DEV_PORT is the web's for all.
	$(DEV) PORT=$(PORT) PORTAL_DEV_PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=20

setup: $(VENV)/.installed static/build/.built

$(VENV)/.installed: requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed scripts/build_frontend.mjs $(wildcard static/src/*)
	npm run --silent build
	touch $@

frontend: static/build/.built

lint: setup
	$(BIN)/ruff check .

# Regenerate the lock files after changing pyproject.toml (needs `pip install uv`).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

# Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench).
benchmark: setup
	$(BIN)/python -m benchmarks.deadline_surge
	$(BIN)/python -m benchmarks.tender_list
	$(BIN)/python -m benchmarks.reports
	$(BIN)/python -m benchmarks.audit_verify
	$(BIN)/python -m benchmarks.sealed_reads
	$(BIN)/python -m benchmarks.grants_scale
	$(BIN)/python -m benchmarks.panel_selection
	$(BIN)/python -m benchmarks.panel_tally

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var
