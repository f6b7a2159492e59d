# vlpart: `make demo` runs the main job on the built-in synthetic data; `make test` runs the tests.
# Both install what is missing first (scripts/ensure-deps.sh), then build in release mode:
# numeric Swift is 10-100x slower in debug builds.

SWIFT ?= swift
CONFIG := -c release
TEST_FLAGS := $(CONFIG) -Xswiftc -enable-testing
BIN := .build/release/vlpart
DEMO_OUT ?= vlpart-demo

.PHONY: all deps build test demo bench clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	@$(SWIFT) build $(CONFIG) --product vlpart

# Tests build the package once with -enable-testing; the CLI tests run the vlpart binary
# from that same build.
test: deps
	@$(SWIFT) build $(TEST_FLAGS) --build-tests
	@$(SWIFT) test $(TEST_FLAGS) --skip-build

demo: build
	@VLPART_BIN=$(BIN) scripts/demo.sh $(DEMO_OUT)

clean:
	@rm -rf .build
