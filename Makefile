# Two commands do all the set-up on a fresh clone (see README):
#   make demo   install, index the bundled sample into ./index, run an example search
#   make test   install, run the test suite (what CI runs, via .ci/run)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# Bytecode now, even where PYTHONDONTWRITEBYTECODE is set: each CLI call is a fresh process.
	$(BIN)/python -m compileall -q searchlib
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/searchlib demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
