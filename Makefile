# Parcours SIAE — `make run` (demo on SQLite) and `make test` (whole suite) do all the set-up.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := FLASK_APP=wsgi $(VENV)/bin/flask
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HTMX := siae_app/static/vendor/htmx.min.js
PORT ?= 5000
# Read by the browser tests (tests/browser/conftest.py), never served.
AXE := node_modules/axe-core/axe.min.js
# The Lucide icons the pages use (static/css/app.css, « icons »), copied as they are.
ICON_NAMES := house calendar-check users bell handshake hard-hat chart-column book-open award \
  building-2 clipboard-list user-cog scroll-text check x pencil-line ellipsis download \
  triangle-alert file-text graduation-cap
ICONS := siae_app/static/vendor/icons/.installed-$(shell echo $(ICON_NAMES) | sha1sum | cut -c1-8)

.PHONY: install run test lint test-sqlite test-postgres bench clean mutate mutate-hot mutate-domain

install: $(STAMP) $(HTMX) $(AXE) $(ICONS)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

$(HTMX) $(AXE) &: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $(HTMX))
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)
	touch $(AXE)

$(ICONS): $(HTMX)
	rm -rf $(dir $(ICONS))
	mkdir -p $(dir $(ICONS))
	for name in $(ICON_NAMES); do cp node_modules/lucide-static/icons/$$name.svg $(dir $(ICONS)); done
	touch $@

run: install
	mkdir -p instance
	$(FLASK) db upgrade
	PORT=$(PORT) $(FLASK) demo load
	@echo "Parcours SIAE : http://127.0.0.1:$(PORT)"
	@# One request at a time: SQLite refuses a write that meets another request's transaction
	@# (a page's fragments load side by side, and each writes its access-log row).
	@# Exports en lot : with a Redis that answers (REDIS_URL, else the local one), a worker
	@# runs beside the server and stops with it; without, exports run inside the request.
	@url=$${REDIS_URL:-redis://127.0.0.1:6379/0}; \
	if REDIS_URL=$$url $(PY) -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_timeout=1).ping()" 2>/dev/null; then \
	  echo "Redis ($$url) : worker des exports démarré (flask jobs worker)."; \
	  export REDIS_URL=$$url; \
	  $(FLASK) jobs worker & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(FLASK) run --without-threads --host 127.0.0.1 --port $(PORT); \
	else \
	  $(FLASK) run --without-threads --host 127.0.0.1 --port $(PORT); \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: install
	$(PY) -m pytest -q --durations=20

test-postgres: install
	@if url=$$($(PY) scripts/pg_scratch.py); then \
	  echo "PostgreSQL : base de test $$url"; \
	  TEST_DATABASE_URL=$$url $(PY) -m pytest -q --durations=20 -m "not browser"; \
	else \
	  echo "Aucun PostgreSQL sur 127.0.0.1:5432 : suite PostgreSQL non lancée."; \
	fi

# The SQLite and PostgreSQL suites run side by side (one per core); each one's output is
# printed whole when it ends.
test: lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# Every script of bench/ (bench/common.py is their shared part), each on a fresh database:
# PostgreSQL when a server answers on 127.0.0.1:5432 (as make test), else SQLite in a
# temporary file. Each script says which one it measured, and ends with one JSON line.
BENCH_SCRIPTS := $(filter-out bench/common.py,$(sort $(wildcard bench/*.py)))
# bench/structures.py loads this many structures beside one (about 30 s each on PostgreSQL);
# BENCH_STRUCTURES=100 make bench for the full comparison (about 45 minutes more).
BENCH_STRUCTURES ?= 10
export BENCH_STRUCTURES

bench: install
	@for script in $(BENCH_SCRIPTS); do \
	  name=$$(basename $$script .py); \
	  if url=$$(PGDATABASE_TEST=siae_bench_$$name $(PY) scripts/pg_scratch.py); then \
	    echo "== $$script : PostgreSQL ($$url)"; \
	    BENCH_DATABASE_URL=$$url $(PY) $$script || exit 1; \
	  else \
	    echo "== $$script : SQLite (aucun PostgreSQL sur 127.0.0.1:5432)"; \
	    $(PY) $$script || exit 1; \
	  fi; \
	done

# Mutation testing of the rule modules (docs/mutation.md): one core, SQLite, not part of
# `make test`. A full run starts afresh (mutmut keeps a survivor's verdict even when a new
# test would kill it); MODULE=siae_app.services.exports runs that module's mutants again.
# Ends with the per-module table; fails while a survivor is not explained in
# docs/mutation-survivors.md.
mutate: install
	$(if $(MODULE),,rm -rf mutants)
	$(VENV)/bin/mutmut run --max-children 1 $(if $(MODULE),"$(MODULE).*") > mutants.log 2>&1 \
	  || { tail -n 40 mutants.log; exit 1; }
	$(PY) scripts/mutation_report.py $(if $(MODULE),--module $(MODULE))

# The modules every test passes through, against their rule tests (scripts/mutate_hot.py).
mutate-hot: install
	$(PY) scripts/mutate_hot.py || { tail -n 40 mutants-hot/mutants.log; exit 1; }
	MUTATION_RESULTS=mutants-hot/mutants $(PY) scripts/mutation_report.py

# The salarié file's rule modules, against the tests of their features (scripts/mutate_hot.py).
mutate-domain: install
	$(PY) scripts/mutate_hot.py --set domain || { tail -n 40 mutants-domain/mutants.log; exit 1; }
	MUTATION_RESULTS=mutants-domain/mutants $(PY) scripts/mutation_report.py

clean:
	rm -rf mutants mutants-hot mutants-domain mutants.log $(VENV) node_modules $(dir $(HTMX)) instance/parcours.sqlite
