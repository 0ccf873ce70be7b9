# aapoon meet: `make run` starts the product on its embedded defaults; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PORT ?= 8000
HOST ?= 127.0.0.1
VENV := backend/.venv
PY := $(CURDIR)/$(VENV)/bin/python
MANAGE := cd backend && $(PY) manage.py
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.ts \
	frontend/tsconfig*.json frontend/package.json -type f 2>/dev/null)

.PHONY: run test bench install backend-check backend-test frontend-check e2e clean

## Dependencies: re-installed only when the lock files change, so a second run is quick.
$(VENV)/.synced: backend/uv.lock backend/pyproject.toml .python-version
	python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	cd backend && python3 -m uv sync --frozen --quiet
	touch $@

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build --silent

install: $(VENV)/.synced frontend/node_modules/.installed

run: install frontend/dist/index.html
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) serve --host $(HOST) --port $(PORT)

## Tests: lint and types, migrations, backend (SQLite, or PostgreSQL when DATABASE_URL says so),
## the web app's own checks, then the browser tests inside a private network namespace.
## pytest keeps one core busy and Vitest the other: they run side by side, each one's output whole.
test: install frontend/dist/index.html backend-check
	$(MAKE) --no-print-directory -j2 --output-sync=target backend-test frontend-check
	$(MAKE) --no-print-directory e2e

backend-check: $(VENV)/.synced
	cd backend && .venv/bin/ruff format --check . ../e2e ../bench
	cd backend && .venv/bin/ruff check . ../e2e ../bench
	cd backend && .venv/bin/mypy .
	cd backend && .venv/bin/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run

backend-test: $(VENV)/.synced
	cd backend && .venv/bin/pytest

frontend-check: frontend/node_modules/.installed
	cd frontend && npm run --silent lint && npm run --silent typecheck \
		&& npm run --silent check:generated && npm run --silent test

e2e: install frontend/dist/index.html
	E2E_DATABASE_URL="$${DATABASE_URL:-}" e2e/run-in-netns.sh $(VENV)/bin/pytest e2e

bench: install frontend/dist/index.html
	command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/api.py
	$(PY) bench/fanout.py
	$(PY) bench/breakouts.py
	$(PY) bench/notify.py
	$(PY) bench/transcribe.py
	e2e/run-in-netns.sh $(PY) bench/join_p2p.py
	e2e/run-in-netns.sh $(PY) bench/join_sfu.py
	e2e/run-in-netns.sh $(PY) bench/sfu_streams.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
