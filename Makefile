# The two commands: `make run` and `make test`. Everything else is a convenience.
#
# `make run` installs the packages the program needs, builds the `tapedeck` program alone (no
# test or benchmark programs) and runs it. `make test` installs what the tests need too, turns the
# tests and benchmarks on in the same build directory and runs every test. Both reuse what the
# other built.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
TAPEDECK := $(BUILD_DIR)/apps/tapedeck
RUN_ARGS ?= run --out out/default
CONFIGURE := cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
# Whether the build directory has the tests and benchmarks on (empty when not).
HAS_TESTS = $(shell grep -s 'TAPEDECK_BUILD_TESTS:BOOL=ON' $(BUILD_DIR)/CMakeCache.txt)

.PHONY: run test build deps test-deps program-config full-config bench clean

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

# A fresh build directory for the program alone; one that exists is kept as it is.
program-config: deps
	@test -f $(BUILD_DIR)/build.ninja || $(CONFIGURE) -DTAPEDECK_BUILD_TESTS=OFF \
	  -DTAPEDECK_BUILD_BENCH=OFF $(CMAKE_FLAGS)

full-config: test-deps
	@test -n "$(HAS_TESTS)" -a -f $(BUILD_DIR)/build.ninja || $(CONFIGURE) \
	  -DTAPEDECK_BUILD_TESTS=ON -DTAPEDECK_BUILD_BENCH=ON $(CMAKE_FLAGS)

# Runs the main job: the embedded default scenario with the shipped strategies.
run: program-config
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tapedeck
	$(TAPEDECK) $(RUN_ARGS)

# Everything: the program, its man page and completion, the tests and the benchmarks.
build: full-config
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: build
	bench/run_bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
