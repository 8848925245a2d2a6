# Tín chỉ — the two commands: `make run` and `make test` (both build .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lms
PORT ?= 5000

.PHONY: install run test lint format translations migrate-check demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations  ## build .venv with every dependency

translations: $(VENV)/.installed  ## compile the vi/en catalogs (fails on a broken catalog)
	$(FLASK) translate compile

run: install  ## migrate the SQLite file in instance/, load the demo once, serve on 127.0.0.1:$(PORT)
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) courses import courses
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate-check: $(VENV)/.installed  ## `flask db check` on a fresh database (PostgreSQL: tests/test_migrations*)
	@tmp=$$(mktemp -d) && \
	DATABASE_URL=sqlite:///$$tmp/check.db $(FLASK) db upgrade && \
	DATABASE_URL=sqlite:///$$tmp/check.db $(FLASK) db check; \
	status=$$?; rm -rf $$tmp; exit $$status

test: install lint  ## lint, tests, migration check and translation compile
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory migrate-check

demo: install
	$(FLASK) demo load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
