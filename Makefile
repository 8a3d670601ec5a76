# Quick start:  `make run` starts the console chat, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## Chat with listbot on the console over the bundled catalog.
	$(BIN)/listbot chat

test: lint typecheck unit ## ruff, mypy (strict) and pytest; fails if any fails.

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP) ## Run the benchmarks and print their numbers.
	$(BIN)/python -m benchmarks

data: $(STAMP) ## Regenerate data/ from ../shared/upstream (or UPSTREAM=dir).
	$(BIN)/listbot data build --upstream $(or $(UPSTREAM),../shared/upstream)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
