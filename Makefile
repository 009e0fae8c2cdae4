# The two commands: `make run` (set up, then start the daemon on its embedded defaults)
# and `make test` (set up, then run the test suite). Both leave the CLI at .venv/bin/nimbus.
SHELL := /bin/bash
VENV := .venv
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test setup setup-test lint bench clean

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

run: setup
	$(VENV)/bin/nimbus run $(ARGS)

test: setup-test
	PYTHONASYNCIODEBUG=1 $(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: setup-test
	$(VENV)/bin/ruff check nimbus tests benchmarks
	$(VENV)/bin/mypy

bench: setup-test
	$(VENV)/bin/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
