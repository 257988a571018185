# Flashpoint — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python >= 3.12 (Mesa 3.5 needs it): override with `make PYTHON=/path/to/python3.12 run`.
PYTHON ?= $(shell scripts/find-python)
SCENARIO ?= scenarios/korea-russia-2024.yaml

.PHONY: run test test-fast app bench lint docs catalog clean venv

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12 found; install one or run 'make PYTHON=/path/to/python3.12 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,app]"
	@touch $@

venv: $(VENV)/.installed

## Create the virtual environment, install, run the founding scenario and show the result.
run: $(VENV)/.installed
	$(VENV)/bin/flashpoint run $(SCENARIO)

## The whole test suite (unit, pattern, AppTest and real-browser tests).
test: $(VENV)/.installed
	$(PY) -m pytest -q -n 2 --dist loadfile

## The suite without the real-browser tests.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not browser"

## The Streamlit app on http://localhost:8501
app: $(VENV)/.installed
	$(VENV)/bin/streamlit run app.py

## Benchmarks (not part of `make test`); writes bench/results/*.json and prints a table.
bench: $(VENV)/.installed
	$(PY) bench/bench_ensemble.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check sim tests app.py app_pages app_support scripts bench

## Regenerate the generated parts of docs/ (parameter tables, scenario format).
docs: $(VENV)/.installed
	$(PY) scripts/gen_docs.py

## Rebuild the shipped actor catalog from ../shared/data.
catalog: $(VENV)/.installed
	$(PY) scripts/build_catalog.py

clean:
	rm -rf $(VENV) .pytest_cache test-results
