# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv if missing, install the pinned environment and this package, register
# the Jupyter kernel `homecare`, and fetch/verify the reference data (offline: set
# HOMECARE_DATA_MIRROR to a mirror folder). A second call does not reinstall.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.homecare-installed
PARAMS ?= params/default.yaml
# notebooks under nbval write to scratch folders, never the official data/processed or outputs/
NBVAL_DIRS = HOMECARE_PROCESSED_DIR=$$(mktemp -d) HOMECARE_OUTPUTS_DIR=$$(mktemp -d)

.PHONY: help setup data run test test-fast lab bench samples lint format clean

help: ## list every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements/lock.txt pyproject.toml tools/install_kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) tools/install_kernel.py
	@touch $(STAMP)

setup: $(STAMP) ## create .venv with the pinned packages, this package and the kernel
	@true

data: setup ## fetch and verify the reference data (SHA-256; mirror with HOMECARE_DATA_MIRROR)
	$(VENV)/bin/homecare fetch

run: data ## set up and run the whole pipeline on the default inputs -> outputs/latest/
	$(VENV)/bin/homecare run --params $(PARAMS)

test: data ## set up and run every test: pytest (in parallel), then every notebook with nbval
	$(PY) -m pytest tests -n auto
	$(NBVAL_DIRS) $(PY) -m pytest notebooks --nbval-lax --nbval-kernel-name homecare -p no:xdist

test-fast: data ## unit tests only (tests/unit)
	$(PY) -m pytest tests/unit -n auto

lab: data ## JupyterLab on this environment
	$(VENV)/bin/jupyter lab --notebook-dir=.

bench: data ## performance figures (printed, never asserted)
	$(PY) -m homecare_dev.bench

samples: setup ## rewrite the committed synthetic sample inputs (data/raw/sample) deterministically
	$(PY) -m homecare_dev.samples

lint: setup ## ruff check and ruff format --check
	$(VENV)/bin/ruff check src tests tools
	$(VENV)/bin/ruff format --check src tests tools

format: setup ## apply ruff format and the safe ruff fixes
	$(VENV)/bin/ruff format src tests tools
	$(VENV)/bin/ruff check --fix src tests tools

clean: ## remove rebuilt data and outputs
	rm -rf outputs/runs outputs/latest outputs/dev outputs/scenarios outputs/.run.lock* data/processed/dev data/processed/scenarios data/processed/.run.lock* data/processed/*.parquet data/processed/*.csv data/processed/*.json data/processed/*.gpkg
