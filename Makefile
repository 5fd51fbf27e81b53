# The two set-up commands of the README. Both create .venv and install into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_SCENARIO ?= us-china-export-controls-2025

.PHONY: demo compile test test-deep test-nashpy-floor lint typecheck bench reference test-reference clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install compiles nothing; byte-compiling the package once saves every
# command about 0.1 s where PYTHONDONTWRITEBYTECODE is set (stale files are ignored).
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

compile: $(VENV)/.installed
	$(BIN)/python -m compileall -q negotiation

demo: $(VENV)/.installed compile
	$(BIN)/negotiation solve $(DEMO_SCENARIO)
	@echo
	$(BIN)/negotiation compare $(DEMO_SCENARIO)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check negotiation tests benchmarks
	$(BIN)/ruff format --check negotiation tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest --durations=15 negotiation tests docs README.md

# The deeper property run (outside `make test`): the numeric property tests, each with
# fresh random examples, DEEP_RUNS times (about 4,000 batched-vs-exact examples at 20).
DEEP_RUNS ?= 20
test-deep: $(VENV)/.installed-test
	for i in $$(seq $(DEEP_RUNS)); do \
	  env -u CI $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_batch_sustainability.py \
	    tests/test_sustainability.py tests/test_verdict.py tests/test_stability.py || exit 1; \
	done

# The dynamics tests once more against the lowest nashpy that setup.cfg allows: its
# wheel (27 kB, no dependencies) is installed into a side folder put first on the path,
# so it shadows the newer one for this run only (a few seconds).
NASHPY_FLOOR := $(shell sed -n 's/^ *nashpy>=\([0-9.]*\).*/\1/p' setup.cfg)
test-nashpy-floor: $(VENV)/.installed-test
	rm -rf $(VENV)/nashpy-floor
	$(BIN)/python -m pip install --quiet --no-deps --target $(VENV)/nashpy-floor "nashpy==$(NASHPY_FLOOR)"
	NEGOTIATION_NASHPY_FLOOR=$(NASHPY_FLOOR) PYTHONPATH=$(VENV)/nashpy-floor \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_dynamics.py

# The anchor libraries (QuantEcon, Axelrod; Axelrod pulls in PyTorch, several GB) are
# needed only for benchmarks and the optional cross-check tests, not for `make test`.
reference: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[test,reference]"

test-reference: reference
	$(BIN)/python -m pytest tests/test_axelrod_reference.py

bench: reference compile
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
