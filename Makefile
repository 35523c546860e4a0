# Two commands: `make lab` (JupyterLab for trainees) and `make test` (the whole suite).
# Both install what they need: Debian packages (with apt-get when run as root on Debian; otherwise
# they stop with the one command to run) and .venv (rerun only when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
WORKERS ?= auto

# Debian packages: the documents' font and a monospace font with every Vietnamese letter (DejaVu Sans Mono lacks
# 46 of them); for the tests, a browser and a PostgreSQL server.
LAB_PACKAGES  := fonts-noto-core fonts-noto-mono dovecot-imapd dovecot-lmtpd
# Node for JupyterHub's proxy; npm comes with NodeSource's nodejs, from its own package with Debian's
TEST_PACKAGES := $(LAB_PACKAGES) chromium chromium-driver postgresql nodejs $(if $(shell command -v npm),,npm)

.PHONY: lab test install clean-venv bench province-data lab-packages test-packages

lab-packages:
	@$(call debian_packages,$(LAB_PACKAGES))

test-packages:
	@$(call debian_packages,$(TEST_PACKAGES))

define debian_packages
missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing Debian packages:$$missing"; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update -qq && apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 2; \
  else \
    echo "Missing system packages; run: sudo apt-get install$$missing"; exit 2; \
  fi; \
fi
endef

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'setuptools>=77' wheel   # the wheel test builds without isolation
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m simulator.lab.setup_jupyter $(VENV) >/dev/null
	touch $(STAMP)

install: lab-packages $(STAMP)

# The lab's mail server (Dovecot + submission, in VBDT_MAIL) runs as long as JupyterLab does.
lab: lab-packages $(STAMP)
	export VBDT_MAIL=$${VBDT_MAIL:-$(CURDIR)/work/mail}; \
	$(BIN)/vbdt mail status --json | grep -q '"running": true' || $(BIN)/vbdt mail serve || exit 2; \
	trap '$(BIN)/vbdt mail stop' EXIT; trap 'exit 130' INT TERM; \
	VBDT_LANG=$${VBDT_LANG:-vi} PATH=$(CURDIR)/$(BIN):$$PATH \
	  JUPYTER_CONFIG_PATH=$(CURDIR)/simulator/lab/jupyter$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH} \
	  $(BIN)/jupyter lab \
	  --ip=127.0.0.1 --port=$(PORT) --no-browser \
	  --ServerApp.allow_root=True \
	  --ServerApp.root_dir=$(CURDIR)/notebooks \
	  --LabApp.default_url=/lab/tree/00-bat-dau.ipynb

# JupyterHub's proxy (npm), for the hub test and a hub server: courses/jupyterhub_config.py finds it here
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
$(CHP): | $(BIN)/python
	npm install --prefix $(VENV)/node --no-audit --no-fund --loglevel=error configurable-http-proxy@5

test: test-packages $(STAMP) $(CHP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -q --durations=15

bench: lab-packages $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m benchmarks

# Regenerate the shipped 3-level structure (vietnam-provinces 0.6.0); see simulator/province/build_data.py
province-data: $(STAMP)
	$(BIN)/python -m simulator.province.build_data

clean-venv:
	rm -rf $(VENV)
