# Two entry points: `make serve` (set up, ingest the seeds, serve) and `make test` (set up, run the tests).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

.PHONY: setup serve test
setup: $(VENV)/.installed

serve: setup
	$(VENV)/bin/factcheck serve --seed seeds --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest
