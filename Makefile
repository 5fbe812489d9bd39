# Curation pipeline: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installed marker: rebuilt when the package definition changes.
STAMP := $(VENV)/.installed
RAW ?= raw
OUT ?= curated

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pipeline with its dev tools

curate: $(STAMP) ## Rebuild curated/ from raw/ (installs first if needed)
	$(BIN)/curate run --raw $(RAW) --out $(OUT)

review: $(STAMP) ## Review the flagged conflicts of the last build, one keypress per decision
	$(BIN)/curate review --out $(OUT)

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## Check style with ruff
	$(BIN)/ruff check pipeline tests bench tools
	$(BIN)/ruff format --check pipeline tests bench tools

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff format pipeline tests bench tools
	$(BIN)/ruff check --fix pipeline tests bench tools

bench: $(STAMP) ## Run the benchmarks (boilerplate needs ../shared/benchmarks)
	$(BIN)/python bench/boilerplate.py
	$(BIN)/python bench/muscles.py
	$(BIN)/python bench/claims.py

bench-scale: $(STAMP) ## Full-pipeline throughput at N = 100, 1,000, 5,000 (needs ../shared; slow)
	$(BIN)/python bench/throughput.py

bench-quality: $(STAMP) ## Score extraction against hand-annotated gold: dev set (needs /tmp/dev-articles, ../shared) and seeds
	$(BIN)/python bench/quality.py

clean: ## Remove the virtualenv, the stage cache, tool caches and build artefacts (never raw/, curated/ or review/)
	rm -rf $(VENV) .cache build *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: help install curate review test lint format bench bench-scale bench-quality clean
