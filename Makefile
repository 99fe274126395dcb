# The two set-up commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-output
PYTEST_ARGS ?=

.PHONY: demo test lint install install-test browsers screenshots bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("socialseo needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/socialseo demo --out $(DEMO_OUT)

# Browser tests need Debian's chromium; install it when we can (root with apt), else they skip loudly.
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium for the browser tests (apt-get)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
		|| echo "!!! could not install chromium: browser tests will be SKIPPED !!!"; \
	else echo "!!! /usr/bin/chromium missing and apt-get unavailable: browser tests will be SKIPPED !!!"; fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install-test browsers lint
	$(BIN)/pytest $(PYTEST_ARGS)

screenshots: install-test browsers
	$(BIN)/python docs/make_screenshots.py

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
