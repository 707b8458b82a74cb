# Gradient Lab: `make run` serves the app, `make test` checks everything (browser included).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run dev test lint bench docs-screenshots system-deps clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT)

dev: $(VENV)/.runtime  ## hot-reload for content and code authors
	$(BIN)/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT) \
		--server.fileWatcherType auto --server.runOnSave true --client.toolbarMode developer \
		--client.showErrorDetails full

system-deps:  ## Debian's Chromium (browser tests), PostgreSQL (store tests) and nginx (replica test)
	@bash .ci/system-deps

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev system-deps lint  ## pytest's exit 5 (no tests collected) is a failure too
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests collected" >&2; exit 1; fi; exit $$rc

docs-screenshots: $(VENV)/.dev system-deps  ## refresh the README's screenshots from the real app
	GRADIENT_LAB_UPDATE_DOCS=1 $(BIN)/python -m pytest -q tests/browser/test_docs_screenshots.py

bench: $(VENV)/.dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tests/screenshots
