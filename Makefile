# OncoParcours — two commands: `make demo` (run with demo data) and `make test` (every suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test lint test-sqlite test-postgres test-queue test-browser bench lock clean

$(BIN)/uv:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ required (found " + sys.version.split()[0] + ")"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

install: $(BIN)/uv  ## Create .venv and install the pinned dependencies
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.txt

demo: install  ## Migrate, load geography and demo data, serve on http://127.0.0.1:8000 with a worker
	bash scripts/demo.sh

test: install  ## Lint, types, migrations check, SQLite, PostgreSQL, queue and browser suites
	bash scripts/system-deps.sh
	bash scripts/test.sh all

lint: install
	bash scripts/test.sh lint

test-sqlite: install
	bash scripts/test.sh sqlite

test-postgres: install
	bash scripts/test.sh postgres

test-queue: install
	bash scripts/test.sh queue

test-browser: install
	bash scripts/test.sh browser

.PHONY: messages
messages: install  ## Extract the French source strings into locale/en and compile them (needs GNU gettext)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=node_modules
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py compilemessages --ignore=.venv

bench: install  ## Benchmarks (print figures; never part of the test suite)
	bash scripts/bench.sh

lock: $(BIN)/uv  ## Re-pin requirements/*.txt from pyproject.toml
	$(BIN)/uv pip compile --quiet pyproject.toml -o requirements/base.txt --python-version 3.12
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev -o requirements/dev.txt --python-version 3.12

clean:
	rm -rf $(VENV) var
