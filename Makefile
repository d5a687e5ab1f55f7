# Newsroom: `make run` sets up and serves the demo site, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format bench bench-pages bench-photos bench-profile install messages

$(VENV)/.installed: pyproject.toml constraints.txt .python-version
	@$(PYTHON) -c 'import sys; want = open(".python-version").read().strip(); have = "%d.%d" % sys.version_info[:2]; sys.exit(0 if have == want else f"Newsroom needs Python {want}, but $(PYTHON) is {have}. Install it (pyenv reads .python-version) or run: make PYTHON=python{want} ...")'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DJANGO_DEBUG=1 NEWSROOM_SITE_URL="$${NEWSROOM_SITE_URL:-http://$(HOST)}" $(PY) manage.py runserver $(HOST)

test: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages -l en --ignore=.venv

bench: install
	$(PY) bench/suite.py

bench-pages: install
	$(PY) bench/run.py

bench-photos: install
	$(PY) bench/photos.py

bench-profile: install
	$(PY) bench/profile.py
