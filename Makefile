# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv if missing, install the pinned environment and this package, register
# the Jupyter kernel `homecare`, and fetch/verify the reference data (offline: set
# HOMECARE_DATA_MIRROR to a mirror folder). A second call does not reinstall.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.homecare-installed
PARAMS ?= params/default.yaml

.PHONY: setup data run test test-fast lab bench lint clean help

help:
	@echo "make run    set up and run the whole pipeline on the default inputs -> outputs/latest/"
	@echo "make test   set up and run all tests (pytest + notebooks with nbval)"
	@echo "make lab    JupyterLab on this environment"
	@echo "make bench  performance figures"

$(STAMP): requirements/lock.txt pyproject.toml tools/install_kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) tools/install_kernel.py
	@touch $(STAMP)

setup: $(STAMP)

data: setup
	$(VENV)/bin/homecare fetch

run: data
	$(VENV)/bin/homecare run --params $(PARAMS)

test: data
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-kernel-name homecare

test-fast: data
	$(PY) -m pytest tests -m "not slow"

lab: data
	$(VENV)/bin/jupyter lab --notebook-dir=.

bench: data
	$(PY) -m homecare.bench

lint: setup
	$(VENV)/bin/ruff check src tests tools

clean:
	rm -rf outputs/runs outputs/latest outputs/dev data/processed/*.parquet data/processed/*.csv data/processed/*.json data/processed/*.gpkg
