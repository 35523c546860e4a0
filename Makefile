# Two commands: `make lab` (JupyterLab for trainees) and `make test` (the whole suite).
# Both create or reuse .venv; the install step reruns only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
WORKERS ?= auto

.PHONY: lab test install clean-venv bench province-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m simulator.lab.setup_jupyter $(VENV) >/dev/null
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	VBDT_LANG=$${VBDT_LANG:-vi} PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/jupyter lab \
	  --ip=127.0.0.1 --port=$(PORT) --no-browser \
	  --ServerApp.allow_root=True \
	  --ServerApp.root_dir=$(CURDIR)/notebooks \
	  --LabApp.default_url=/lab/tree/00-bat-dau.ipynb

test: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -q

bench: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m benchmarks

# Regenerate the shipped 3-level structure (vietnam-provinces 0.6.0); see simulator/province/build_data.py
province-data: $(STAMP)
	$(BIN)/python -m simulator.province.build_data

clean-venv:
	rm -rf $(VENV)
