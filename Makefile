# Cocrea: `make run` (the app with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PORT ?= 5000
# System packages: Chromium for the browser tests, Pango for PDF exports (WeasyPrint),
# poppler-utils (pdfinfo) for the PDF accessibility test.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
  poppler-utils

.PHONY: run test test-sqlite test-pg test-browser lint serve worker bench bench-10 bench-load bench-smoke \
        translations i18n lock system-deps venv clean help

help:
	@echo "make run    - the app with demo data on SQLite at http://127.0.0.1:5000 (PORT=5001: another port)"
	@echo "make test   - the whole test suite (SQLite; browser tests included)"
	@echo "make test-pg - the suite on PostgreSQL ($(PG_URL))"
	@echo "make lint   - ruff (with the security rules) and mypy (app/, settings in pyproject.toml)"
	@echo "make serve  - production server (gunicorn; needs SECRET_KEY and DATABASE_URL)"
	@echo "make worker - mail queue worker (RQ; needs REDIS_URL, SECRET_KEY, DATABASE_URL)"
	@echo "make bench  - benchmarks (see README, Performance)"
	@echo "make lock   - recompile requirements*.lock from pyproject.toml (after changing a dependency)"
	@echo "make i18n   - extract the messages and update the catalogues (pybabel extract + update)"

# Dependencies: declared in pyproject.toml, installed from the hash-checked lock (pip-tools).
$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $(STAMP)

# After adding or changing a dependency in pyproject.toml: both locks, with hashes. Versions
# already locked stay as they are unless pyproject.toml asks otherwise (pip-compile -P NAME
# upgrades one package; UPGRADE=1 upgrades everything).
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

venv: $(STAMP)

# Installs what pip cannot, when it is missing (root on Debian; otherwise it says what to do).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "warning: could not install$$missing; browser or PDF tests may skip"; \
	  else echo "warning: please install:$$missing (sudo apt-get install$$missing)"; fi; \
	fi

# Compiles the catalogues; fails (non-zero) on a broken one instead of hiding the error.
TRANSLATIONS ?= app/translations
PO_STRICT = from babel.messages.pofile import read_po; import sys; \
  [read_po(open(f, "rb"), abort_invalid=True) for f in sys.argv[1:]]
translations: $(STAMP)
	$(BIN)/python -c '$(PO_STRICT)' $(TRANSLATIONS)/*/LC_MESSAGES/messages.po
	$(BIN)/pybabel --quiet compile -d $(TRANSLATIONS)

# Extracts every message and merges it into the catalogues (rewrites messages.po whole: on
# parallel branches append entries by hand instead, see README).
i18n: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(MAKE) translations

run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo --if-empty
	COCREA_ENV=development $(FLASK) run --debug --host 127.0.0.1 --port $(PORT)

test: $(STAMP) system-deps translations
	$(BIN)/python -m pytest

test-sqlite: $(STAMP) translations
	$(BIN)/python -m pytest -m "not browser"

test-pg: $(STAMP) translations
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m "not browser"

test-browser: $(STAMP) system-deps translations
	$(BIN)/python -m pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

serve: $(STAMP) translations
	COCREA_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Benchmarks (README, Performance). Each step writes a results file in bench/results/runs/
# and the README's tables are generated from those files (bench.report), never typed.
# `make bench` on SQLite, `make bench DB=postgres` on the PostgreSQL at BENCH_PG_URL (that
# database is recreated); `make bench-10` the scale-10 dataset; `make bench-load` the mesa
# room through gunicorn (production settings, PostgreSQL, Redis; locust).
DB ?= sqlite
comma := ,
BENCH_SCALES ?= 0.01,0.1,1
BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/cocrea_bench
BENCH_STAMP = $$(date -u +%Y%m%dT%H%M%SZ)

bench: $(STAMP) translations
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python -m bench.run --db $(DB) --scales $(BENCH_SCALES)
	$(BIN)/python -m bench.export_memory --database $(DB) \
	  --out bench/results/runs/$(BENCH_STAMP)-export-memory-$(DB).json \
	  $(if $(filter postgres,$(DB)),$(BENCH_PG_URL),\
	  $(foreach s,$(subst $(comma), ,$(BENCH_SCALES)),sqlite:///$${TMPDIR:-/tmp}/cocrea-bench-$(s).db))
	$(if $(filter postgres,$(DB)),BENCH_PG_URL=$(BENCH_PG_URL) bench/load.sh,)
	$(BIN)/python -m bench.report --write README.md

bench-10: $(STAMP) translations
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python -m bench.run --db $(DB) --scales 10 --requests 100
	$(BIN)/python -m bench.report --write README.md

bench-load: $(STAMP) translations
	BENCH_PG_URL=$(BENCH_PG_URL) bench/load.sh
	$(BIN)/python -m bench.report --write README.md

bench-smoke: $(STAMP) translations
	$(BIN)/python -m pytest tests/bench/test_bench_smoke.py

# The mail worker (RQ) when REDIS_URL is set; without it, one pass over instance/mail-outbox.
worker: $(STAMP) translations
	COCREA_ENV=production $(BIN)/python -m app.mail_queue

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
