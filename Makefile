# Townhall — the README's commands. `make demo` and `make test` bootstrap everything.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
# Django 6.1 needs Python 3.12+: take the newest interpreter on this machine that qualifies.
PYTHON ?= $(shell for p in python3.13 python3.12 $(HOME)/.pyenv/versions/3.13*/bin/python3 \
	$(HOME)/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test test-days lint bench model evaluate-model messages clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Townhall needs Python 3.12 or newer (Django 6.1)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/townhall demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite with the clock moved to a day in February, August, December and to the spring
# daylight-saving change in America/Toronto (07:00 UTC), e.g. `make test-days PYTEST_ARGS="-m calendar"`.
DAYS ?= "2027-02-26 12:00" "2027-08-16 15:30" "2026-12-24 23:30" "2027-03-14 06:57"
test-days: $(STAMP)
	bash tests/on_days.sh $(DAYS) -- $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench model
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

model: $(STAMP)
	$(BIN)/townhall train-model

evaluate-model: $(STAMP)
	$(BIN)/townhall evaluate-model

messages: $(STAMP)
	cd src/townhall && ../../$(BIN)/townhall makemessages -l fr --no-obsolete \
		--ignore 'embed/static/*' \
		&& ../../$(BIN)/townhall makemessages -d djangojs -l fr --no-obsolete \
		--ignore 'dashboard/static/*' && ../../$(BIN)/townhall compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
