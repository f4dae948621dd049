# docpipe — the two commands: `make demo` and `make test`.
SWIFT ?= swift
DATA ?= docpipe-data
BIN = .build/debug
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps build build-release bench test-swift test-python clean

## Installs the system packages when missing (Debian/Ubuntu).
deps:
	@if ! pkg-config --exists libzmq || [ ! -f /usr/include/sqlite3.h ]; then \
		echo "installing libzmq3-dev and libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libzmq3-dev libsqlite3-dev pkg-config; \
	fi
	@python3 -c "import zmq, jsonschema, pytest" 2>/dev/null || python3 -m pip install -q pyzmq jsonschema pytest

build: deps
	$(SWIFT) build

## Processes seeds/ end to end and prints the results table.
demo: build
	$(BIN)/docpipe run seeds/ --data $(DATA)
	@echo
	@echo "Stored in $(DATA)/. Try: $(BIN)/docpipe search \"founding act\" --data $(DATA)"

## Every test: Swift (unit, protocol, integration with real processes) and Python (protocol binding).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 -m pytest -q protocol/python/tests

build-release: deps
	$(SWIFT) build -c release

## Throughput and latency figures (a benchmark, not a test).
bench: build-release
	.build/release/docpipe-bench

clean:
	rm -rf .build $(DATA)
