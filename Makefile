# Tín chỉ — the two commands: `make run` and `make test` (both build .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lms
PORT ?= 5000
DEV_MAIL_PORT ?= 8025
# Seen by every command below, the job worker included: links in mail use it (LMS_BASE_URL unset).
export PORT

.PHONY: install run test lint format translations migrate-check demo clean bench bench-load bench-exam mutation

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
	$(FLASK) questions sync
	$(FLASK) demo recruitment
	$(FLASK) demo satisfaction
	$(FLASK) curricula demo
	$(FLASK) demo history
	$(FLASK) demo activity
	$(FLASK) certificates issue
	$(FLASK) demo close-past
	@# A job worker beside the web server (bulk downloads, imports, reminders); stops with it.
	@# Without MAIL_SERVER in the environment, a local SMTP server (aiosmtpd, on DEV_MAIL_PORT)
	@# keeps every message sent in the Maildir instance/mail/ (one file per message in new/).
	if [ -z "$$MAIL_SERVER" ]; then mkdir -p instance/mail/new instance/mail/cur instance/mail/tmp; \
	  $(BIN)/python -m aiosmtpd -n -u -l 127.0.0.1:$(DEV_MAIL_PORT) \
	    -c aiosmtpd.handlers.Mailbox instance/mail & mail=$$!; \
	  export MAIL_SERVER=127.0.0.1 MAIL_PORT=$(DEV_MAIL_PORT); fi; \
	$(FLASK) jobs worker & worker=$$!; trap 'kill $$worker $$mail 2>/dev/null' EXIT INT TERM; \
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

# The suite runs on every core (pytest-xdist; TEST_JOBS=0 runs it in one process). On
# PostgreSQL each worker has its own database beside TEST_DATABASE_URL's (tests/conftest.py).
TEST_JOBS ?= auto
test: install lint  ## lint, tests, migration check and translation compile
	$(BIN)/python -m pytest -n $(TEST_JOBS)
	$(MAKE) --no-print-directory migrate-check

demo: install
	$(FLASK) demo load

# Mutation testing (docs/testing.md): the rule modules under mutmut ([tool.mutmut] in
# pyproject.toml), each mutant against the tests that reach it; SQLite, shared fixtures from
# ../shared. Not part of make test (slow). One module: make mutation MUTANTS='lms.common.vntext.*'
MUTANTS ?= lms.common.vntext.* lms.curricula.rules.* lms.curricula.obligations.mandatory.* \
	lms.compliance.rules.* \
	lms.compliance.queries.x_standing_select__* lms.compliance.queries.x__course_counts__* \
	lms.assessments.scoring.* lms.assessments.kindbase.* lms.assessments.kinds.* \
	lms.assessments.textkinds.* lms.assessments.gift.* lms.assessments.gift_text.* \
	lms.assessments.gift_export.* lms.curricula.ledger.services.* lms.curricula.ledger.seals.* \
	lms.*.permissions.*
MUTATION_JOBS ?= 2
mutation: install  ## mutmut on the rule modules; prints the score per module (docs/testing.md)
	rm -rf mutants
	LMS_SHARED_DIR="$${LMS_SHARED_DIR:-$(abspath $(CURDIR)/../shared)}" TEST_DATABASE_URL= \
		$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python tests/mutation_score.py $(foreach m,$(MUTANTS),'$(m)')

BENCH_DB ?= sqlite:///$(CURDIR)/instance/bench.sqlite3
BENCH_EXAM_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_exam
bench: install  ## generate a city in BENCH_DB (dropped first), then time it (docs/performance.md)
	$(BIN)/python -m bench.generate --database-url $(BENCH_DB)
	$(BIN)/python -m bench.run --database-url $(BENCH_DB)

bench/out/venv-load/bin/locust: bench/requirements-load.txt
	$(PYTHON) -m venv bench/out/venv-load
	bench/out/venv-load/bin/pip install --quiet -r bench/requirements-load.txt

bench-exam: install  ## 500 candidates on one timed exam paper (issue 28), on a throw-away PostgreSQL BENCH_EXAM_DB
	nice -n 15 $(BIN)/python -m bench.exam_load --database-url $(BENCH_EXAM_DB)

bench-load: install bench/out/venv-load/bin/locust  ## locust + gunicorn on a generated PostgreSQL BENCH_DB
	$(BIN)/python -m bench.loadtest --database-url $(BENCH_DB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache mutants
