# tailnas: `make run` starts the dashboard on a real search, `make test` is what CI runs.
SWIFT ?= swift
SWIFT_FORMAT_PATHS = Package.swift Sources Tests

.PHONY: run test deps build release lint format bench clean

deps:
	@bash scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release

build: deps
	$(SWIFT) build --build-tests

run: release
	.build/release/tailnas

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive $(SWIFT_FORMAT_PATHS)

test: build lint
	$(SWIFT) test
	$(SWIFT) build -c release


bench: release
	.build/release/tailnas bench

clean:
	rm -rf .build
