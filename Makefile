# Opspor: `make run` starts the app with demo data; `make test` runs every test.
# Works as root or as a user with sudo on a fresh Debian machine.

VENV    := .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 5000
APT_RUN  := python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
APT_TEST := chromium fonts-dejavu-core poppler-utils
export FLASK_APP := webapp

.PHONY: run test lint system-run system-test venv migrate demo-data bench clean

run: system-run $(VENV)/.run
	$(VENV)/bin/alembic upgrade head
	$(VENV)/bin/flask demo-data --if-empty
	$(VENV)/bin/flask run --host $(HOST) --port $(PORT)

test: system-test $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# System packages: installed only when missing, so repeat runs are quick.
system-run:
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null && ldconfig -p | grep -q libpangoft2-1.0 \
	  && fc-list | grep -qi dejavu || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_RUN); }

system-test: system-run
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && fc-list | grep -qi dejavu || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_TEST); }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.run: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e '.[dev]'
	touch $@ $(VENV)/.run

clean:
	rm -rf $(VENV) instance .pytest_cache
