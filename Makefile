# The map of the work. `make corpus` and `make test` set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCE ?=
EXTRAS := notebooks,scale,bench,dev

.PHONY: install corpus test lint notebooks bench explore clean help

help:
	@echo "make corpus            run the whole chain on the bundled snapshot (corpus/raw)"
	@echo "make corpus SOURCE=URL scrape a live Blogger blog first, then run the chain"
	@echo "make test              run the test suite"
	@echo "make lint              ruff"
	@echo "make notebooks         execute notebooks/ on the corpus, HTML to corpus/reports/"
	@echo "make bench             benchmark, results in bench/results.json"
	@echo "make explore           open the corpus in datasette on http://127.0.0.1:8001 (installs datasette)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

# datasette (the explore extra) is not part of `make install`: `make explore` and `make test` add it.
EXPLORE := $(VENV)/.explore
$(EXPLORE): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS),explore]'
	touch $(EXPLORE)

corpus: $(STAMP)
	$(BIN)/python -m pipeline run $(if $(SOURCE),--source '$(SOURCE)',)

test: $(STAMP) $(EXPLORE)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests

notebooks: $(STAMP)
	$(BIN)/python -m pipeline notebooks

bench: $(STAMP)
	$(BIN)/python -m pipeline bench

explore: $(EXPLORE)
	test -f corpus/corpus.sqlite -a -f corpus/metadata.json || $(BIN)/python -m pipeline run
	$(BIN)/datasette corpus/corpus.sqlite -m corpus/metadata.json -h 127.0.0.1

clean:
	rm -rf corpus/posts.jsonl corpus/records.json corpus/records.jsonl corpus/en corpus/nl corpus/other \
	       corpus/tables corpus/corpus.sqlite corpus/metadata.json corpus/reports
