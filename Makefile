# The map of the work. `make corpus` and `make test` set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCE ?=
EXTRAS := notebooks,scale,bench,dev

.PHONY: install corpus test lint notebooks bench clean help

help:
	@echo "make corpus            run the whole chain on the bundled snapshot (corpus/raw)"
	@echo "make corpus SOURCE=URL scrape a live Blogger blog first, then run the chain"
	@echo "make test              run the test suite"
	@echo "make lint              ruff"
	@echo "make notebooks         execute notebooks/ on the corpus, HTML to corpus/reports/"
	@echo "make bench             benchmark, results in bench/results.json"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

corpus: $(STAMP)
	$(BIN)/python -m pipeline run $(if $(SOURCE),--source '$(SOURCE)',)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests

notebooks: $(STAMP)
	$(BIN)/python -m pipeline notebooks

bench: $(STAMP)
	$(BIN)/python -m pipeline bench

clean:
	rm -rf corpus/posts.jsonl corpus/records.json corpus/records.jsonl corpus/en corpus/nl corpus/other \
	       corpus/tables corpus/corpus.sqlite corpus/reports
