# annostory: `make site` builds the example site, `make test` runs every test
# (`make test-fast` the quick ones; `make install-check` installs annostory into a fresh
# virtual environment and starts a project with it, as a newsroom would).
# Both create .venv and install the pinned dependencies when they are missing.

PYTHON ?= python3
PORT ?= 8000
ROOT ?= .
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test test-fast install-check serve check lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# ROOT=DIR builds, previews or checks another project with this annostory.
site: $(STAMP)
	$(PY) build.py build --root $(ROOT)

serve: $(STAMP)
	$(PY) build.py serve --root $(ROOT) --port $(PORT)

check: $(STAMP)
	$(PY) build.py check --root $(ROOT)

# Browser checkers (axe-core, the Nu Html Checker) come from npm when npm is here;
# without them those tests are skipped with a message (and fail when CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: axe-core and Nu checker tests will be skipped"; fi

test: $(STAMP) node_modules/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest

# The quick inner loop: everything but the tests marked slow (browsers, servers,
# kill loops, long property runs). `make test` still runs them all.
test-fast: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not slow" -q

install-check:
	bash tests/install/check.sh

lint: $(STAMP)
	$(PY) -m ruff check .

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf site .pytest_cache .hypothesis .ruff_cache
