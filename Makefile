# Two commands on a fresh machine with python3 and make: `make deck`, `make test`.
# Each creates (or reuses) .venv and installs the pinned dependencies itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CLIENTS_STAMP := $(VENV)/.clients-stamp
SPEC   ?= config/barometre-2021.yaml
# the suite on every core (pytest-xdist); a test file runs on one worker, so its module
# fixtures (decks built once for the file) are built once. PYTEST_PARALLEL= runs serially.
PYTEST_PARALLEL ?= -n auto --dist loadfile

.PHONY: deck test test-slow test-arrow mutate lint format bench preview images template clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# the second rendering client the tests compare figures with (not needed to build; a
# failed install leaves its tests skipped, except in CI, where DECKGEN_REQUIRE_CLIENTS
# turns the skip into a failure)
$(CLIENTS_STAMP): requirements-clients.lock $(STAMP)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-clients.lock \
	  && touch $(CLIENTS_STAMP) \
	  || echo "note: Aspose.Slides not installed; tests/test_two_clients.py will be skipped"

# the whole suite again where pyarrow is installed (pandas then stores text as Arrow
# strings), slow passes included, and the example decks built cold in both
# environments, compared byte for byte
ARROW_VENV  := .venv-arrow
ARROW_BIN   := $(ARROW_VENV)/bin
ARROW_STAMP := $(ARROW_VENV)/.installed-stamp

$(ARROW_STAMP): requirements.lock requirements-arrow.lock requirements-clients.lock pyproject.toml
	$(PYTHON) -m venv $(ARROW_VENV)
	$(ARROW_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock \
	  -r requirements-arrow.lock
	$(ARROW_BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@$(ARROW_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-clients.lock \
	  || echo "note: Aspose.Slides not installed in $(ARROW_VENV)"
	touch $(ARROW_STAMP)

deck: $(STAMP)
	$(BIN)/deckgen build $(SPEC)

# every test but the two slow passes, which `make test-slow` runs (CI runs both): the
# tests that render decks in LibreOffice or the PowerPoint-compatible engine (the
# `clients` marker) and the privacy attack on every deck of every batch (`attack`)
FAST := -m "not clients and not attack"
SLOW := -m "clients or attack"

test: $(STAMP) $(CLIENTS_STAMP)
	$(BIN)/ruff format --check --quiet deckgen tests $(wildcard bench)
	$(BIN)/ruff check deckgen tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_PARALLEL) $(FAST)

test-slow: $(STAMP) $(CLIENTS_STAMP)
	$(BIN)/pytest $(PYTEST_PARALLEL) $(SLOW)

test-arrow: $(STAMP) $(ARROW_STAMP)
	DECKGEN_EXPECT_ARROW=1 $(ARROW_BIN)/pytest -p no:cacheprovider $(PYTEST_PARALLEL)
	rm -rf out/storage
	$(BIN)/python tests/example_decks.py out/storage/python
	$(ARROW_BIN)/python tests/example_decks.py out/storage/arrow
	for deck in out/storage/python/*.pptx; do \
	  cmp "$$deck" "out/storage/arrow/$$(basename "$$deck")" || exit 1; \
	done
	@echo "example decks byte-identical with and without pyarrow"

# mutation testing of the rule modules (pyproject's [tool.mutmut]: significance,
# disclosure, number formats and rounding); the survival rate goes in docs/testing.md
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

lint: $(STAMP)
	$(BIN)/ruff format --check deckgen tests $(wildcard bench)
	$(BIN)/ruff check deckgen tests $(wildcard bench)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format deckgen tests $(wildcard bench)

preview: $(STAMP)
	$(BIN)/deckgen preview $(SPEC)

images: $(STAMP)
	$(BIN)/deckgen images $(SPEC)

bench: $(STAMP)
	$(BIN)/python bench/run.py

# the packaged neutral template, and the seed deck's (its theme's colours; the
# organisation, date and logo come from the spec at build time)
template: $(STAMP)
	$(BIN)/python -m deckgen.render.template_writer --out deckgen/resources/template.pptx
	$(BIN)/python -m deckgen.render.template_writer --theme config/theme.yaml --title "Modèle deckgen" \
	  --out layouts/deckgen-template.pptx

clean:
	rm -rf out $(VENV) $(ARROW_VENV)
