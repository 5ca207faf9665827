# Arki: the two setup commands are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
# uv itself when it runs (a pyenv shim or a stale link may exist and fail), else uv as a module of
# the Python that .python-version selects (installed with pip by the `uv` target).
UV ?= $(shell uv --version >/dev/null 2>&1 && echo uv || echo "python3 -m uv")
PY := $(UV) run --frozen
# The project's own commands are development: the settings (which mypy's Django plugin loads too)
# accept the published development key only with ARKI_DEBUG=1; production sets SECRET_KEY.
DEV := ARKI_DEBUG=1
MANAGE := $(DEV) $(PY) python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/arki
PYTEST_ARGS ?=

.PHONY: install system-deps uv migrate messages demo run test test-unit test-browser test-pg \
        check lint typecheck bench browser-deps clean restore-drill failover

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) --version >/dev/null 2>&1 || { echo "uv could not be installed for $$(python3 --version)"; exit 1; }

# Libraries WeasyPrint needs and gettext for compilemessages, from Debian's packages if missing.
system-deps:
	@if ! ldconfig -p | grep -q libpango-1.0 || ! command -v msgfmt >/dev/null; then \
	  echo "Installing system libraries (pango, gettext)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-dejavu-core >/dev/null; \
	fi

install: uv system-deps
	$(UV) sync --frozen --quiet

messages: install
	$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: install
	$(MANAGE) migrate --no-input -v 0

demo: migrate
	$(MANAGE) load_demo

run: demo messages
	$(MANAGE) runserver 127.0.0.1:8000

# All tests: the suite (SQLite unless DATABASE_URL is set), then the browser tests.
test: test-unit test-browser

test-unit: messages
	$(PY) pytest -n 2 -q $(PYTEST_ARGS)

test-pg: messages
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(PG_URL) $(PY) pytest -n 2 -q $(PYTEST_ARGS)

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test-browser: messages browser-deps
	ARKI_TESTING=1 $(PY) python manage.py collectstatic --no-input -v 0
	$(PY) pytest -q -m browser -p no:xdist arki $(PYTEST_ARGS)

lint: install
	$(PY) ruff check arki
	$(PY) ruff format --check arki

typecheck: install
	$(DEV) $(PY) mypy arki

check: install messages
	$(PY) ruff check arki
	$(DEV) $(PY) mypy arki
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(MAKE) test

# Back up, destroy and restore a throw-away PostgreSQL cluster to a point in time, then verify
# (deploy/backup/restore_drill.py; DRILL_ARGS="--data county --scale 1" for the bench county).
restore-drill: messages
	@command -v pgbackrest >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null)
	$(PY) python deploy/backup/restore_drill.py $(DRILL_ARGS)

# Two app processes behind Caddy and a task worker under load; one app process is killed
# mid-run (arki/bench/failover.py). PostgreSQL; Caddy from Debian's packages if missing.
failover: messages
	@command -v caddy >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null)
	DATABASE_URL=$(PG_URL) $(PY) python -m arki.bench.failover $(FAILOVER_ARGS)

bench: messages
	$(PY) python -m arki.bench $(BENCH_ARGS)

clean:
	rm -rf staticfiles .venv arki.sqlite3*
