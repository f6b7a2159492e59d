# vlpart: `make demo` runs the main job on the built-in synthetic data; `make test` runs the tests.
# Both install what is missing first (scripts/ensure-deps.sh), then build in release mode:
# numeric Swift is 10-100x slower in debug builds.

SWIFT ?= swift
CONFIG := -c release
TEST_FLAGS := $(CONFIG) -Xswiftc -enable-testing
BIN := .build/release/vlpart
DEMO_OUT ?= vlpart-demo

.PHONY: all deps build test demo model clean

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

# The whole loop on the built-in synthetic benchmark; writes $(DEMO_OUT)/report.html.
demo: build
	@$(BIN) demo --out $(DEMO_OUT) $(DEMO_FLAGS)

# Regenerates the shipped checkpoint (models/README.md says how it was made).
model: build
	@VLPART_BIN=$(BIN) scripts/make-model.sh

clean:
	@rm -rf .build
