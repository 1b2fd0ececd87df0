# The two commands: `make run` and `make test`. Everything a fresh machine needs is installed from here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
export FLASK_APP := wsgi

# CJK fonts for the documents (Noto CJK: 宋/黑; AR PL KaitiM GB: 楷, where AR PL UKai has empty glyphs in Extension A;
# HanaMin and BabelStone Han: CJK Extensions A–G, so that no rare character prints as a box; Noto Color Emoji and
# Symbola: emoji and symbols; the README says why these), HarfBuzz's subsetter so
# WeasyPrint subsets those fonts in a fraction of a second, poppler-utils to read PDFs back in tests, qpdf to join
# the halves of a long PDF laid out by two processes (documents/pdf_parallel.py), nginx in
# front of gunicorn (it reads slow request bodies whole before a worker sees them: deploy/nginx.conf).
SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-gkai00mp fonts-hanazono fonts-babelstone-han fonts-noto-color-emoji \
  fonts-symbola libharfbuzz-subset0 poppler-utils qpdf nginx
# Tests: a browser for the phone page, a QR reader for the cards, and PostgreSQL for the second run of the suite
# (scripts/pgcluster.py starts a throwaway cluster of its own; the package's default cluster is not used).
TEST_SYSTEM_PACKAGES := chromium zbar-tools postgresql

# The suite runs in parallel, one pytest-xdist worker per core (`make test TEST_WORKERS=0` runs it in one process);
# worksteal: a worker that is done takes tests from the other, as the slowest tests take seconds, most milliseconds.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal
# "3m41s" for the seconds elapsed since the epoch second in the shell variable named $(1).
elapsed = $$(( ($$(date +%s) - $$$(1)) / 60 ))m$$(printf %02d $$(( ($$(date +%s) - $$$(1)) % 60 )))s

.PHONY: run test test-fast test-sqlite test-postgres system test-system translations lint clean

run: system $(STAMPS)/venv translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	@# The demo campaign ran in May 2025: its booths keep taking entries here (BOOTH_GRACE_DAYS, booths/closing.py).
	BOOTH_GRACE_DAYS=$${BOOTH_GRACE_DAYS:-36500} $(BIN)/python scripts/serve.py --port 5000

# The whole suite twice: on SQLite files, then on a PostgreSQL cluster started for the run and stopped after it
# (also when tests fail); each run's time is printed at the end. If the SQLite run fails, the PostgreSQL run is not
# started. `make test-sqlite` or `make test-postgres` runs one of the two.
test: system test-system $(STAMPS)/venv-dev translations
	$(BIN)/ruff check .
	$(BIN)/python -m mypy
	@start=$$(date +%s); $(PYTEST); code=$$?; sqlite="SQLite run: $(call elapsed,start)"; \
	if [ $$code != 0 ]; then echo "$$sqlite (failed)"; exit $$code; fi; \
	start=$$(date +%s); $(BIN)/python scripts/pgcluster.py run -- $(PYTEST); code=$$?; \
	postgres="PostgreSQL run: $(call elapsed,start)"; [ $$code = 0 ] || postgres="$$postgres (failed)"; \
	echo "$$sqlite"; echo "$$postgres"; exit $$code

# A quick check while working: SQLite only, without the browser tests and the few slowest others.
test-fast: system $(STAMPS)/venv-dev translations
	$(PYTEST) -m "not browser and not slow"

test-sqlite: system test-system $(STAMPS)/venv-dev translations
	@start=$$(date +%s); $(PYTEST); code=$$?; echo "SQLite run: $(call elapsed,start)"; exit $$code

test-postgres: system test-system $(STAMPS)/venv-dev translations
	@start=$$(date +%s); $(BIN)/python scripts/pgcluster.py run -- $(PYTEST); code=$$?; \
	echo "PostgreSQL run: $(call elapsed,start)"; exit $$code

# ruff over the tree, mypy over campaign/ (its settings are in pyproject.toml).
lint: $(STAMPS)/venv-dev
	$(BIN)/ruff check .
	$(BIN)/python -m mypy

# Installs whatever Debian packages are missing; a no-op (one dpkg query) when all are there.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system:
	$(call apt_install,$(SYSTEM_PACKAGES))
	@/sbin/ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || \
	  { echo "libharfbuzz-subset0 is missing: PDFs with Chinese fonts would take seconds each. Install it."; exit 1; }

test-system:
	$(call apt_install,$(TEST_SYSTEM_PACKAGES))

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMPS)/venv: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-dev: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/venv

translations: $(STAMPS)/venv
	$(BIN)/pybabel compile -d campaign/translations --use-fuzzy >/dev/null

clean:
	rm -rf $(VENV) $(STAMPS) .pytest_cache .ruff_cache .mypy_cache
