# Newsroom: `make run` sets up and serves the demo site, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000
# Test processes: one per core, at most four (each has its own database and browser), and a
# new random order of modules and tests each run (the header prints its seed).
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 -p random_order --random-order
# The instants `make test-clock` starts every test at (named in tests/clock.py).
CLOCK ?= month-end month-start year-end leap-day next-year

.PHONY: run test test-clock lint format bench bench-pages bench-photos bench-video bench-profile install install-prod messages

CHECK_PYTHON = @$(PYTHON) -c 'import sys; want = open(".python-version").read().strip(); have = "%d.%d" % sys.version_info[:2]; sys.exit(0 if have == want else f"Newsroom needs Python {want}, but $(PYTHON) is {have}. Install it (pyenv reads .python-version) or run: make PYTHON=python{want} ...")'

$(VENV)/.installed: pyproject.toml constraints.txt .python-version
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# Production (run as the service user, with an interpreter every user can read, e.g.
# PYTHON=/opt/python3.13/bin/python3.13): the app's own dependencies, no test or lint tools.
install-prod:
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e .

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DJANGO_DEBUG=1 NEWSROOM_SITE_URL="$${NEWSROOM_SITE_URL:-http://$(HOST)}" $(PY) manage.py runserver $(HOST)

test: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PYTEST)

# The suite without browsers and real servers, once with the clock at each of $(CLOCK).
test-clock: install
	@for when in $(CLOCK); do \
		echo "=== clock: $$when"; \
		$(PYTEST) -q -m "not browser and not scaleout and not faults" --now $$when || exit 1; \
	done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages -l en -l zh_Hans --ignore=.venv

bench: install
	$(PY) bench/suite.py

bench-pages: install
	$(PY) bench/run.py

bench-photos: install
	$(PY) bench/photos.py

bench-video: install
	$(PY) bench/video.py

bench-profile: install
	$(PY) bench/profile.py
