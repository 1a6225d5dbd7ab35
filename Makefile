# The two commands: `make run` (install, build, serve katara.yaml) and `make test`.
BUILD     ?= build
CONFIG    ?= katara.yaml
JOBS      ?= $(shell nproc)
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: run build test unit integration e2e demo bench bench-routing soak setup check clean sanitize fuzz

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: setup $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS) --quiet 2>/dev/null || ninja -C $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/katara serve --config $(CONFIG)

check: build
	$(BUILD)/katara check --config $(CONFIG)

unit: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

integration: build
	@KATARA_BIN=$(abspath $(BUILD))/katara node --test --test-concurrency=1 --test-timeout=180000 test/integration/

e2e: build
	@KATARA_BIN=$(abspath $(BUILD))/katara node --test --test-concurrency=1 --test-timeout=60000 test/e2e/

# The fuzz targets run briefly on their corpus too (FUZZ_SECONDS each; `make fuzz` runs longer).
test: unit integration e2e
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# The resilience soak (bench/soak.mjs): SOAK_SECONDS (600) of mixed faults under load.
soak: build
	@KATARA_BIN=$(abspath $(BUILD))/katara node bench/soak.mjs

# The routing benchmark (bench/routing.mjs): each strategy on one seeded trace, against an oracle.
bench-routing: build
	@KATARA_BIN=$(abspath $(BUILD))/katara node bench/routing.mjs

demo: build
	@KATARA_BIN=$(abspath $(BUILD))/katara node scripts/demo.mjs

bench: build
	@bench/run.sh

sanitize: setup
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKATARA_SANITIZE=ON >/dev/null
	@ninja -C build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure
	@KATARA_BIN=$(abspath build-asan)/katara node --test --test-concurrency=1 --test-timeout=180000 test/integration/

FUZZ_SECONDS ?= 30
TEST_FUZZ_SECONDS ?= 8
FUZZ_TARGETS := chat_request messages_request sse_splitter config error_body upstream_answer embeddings handover rate_limits \
  journal_line admin_query
fuzz: setup
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DKATARA_FUZZ=ON -DKATARA_TESTS=OFF -DKATARA_WERROR=OFF >/dev/null
	@ninja -C build-fuzz -j $(JOBS) --quiet $(addsuffix _fuzz,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && cp test/fuzz/corpus/$$t/* build-fuzz/corpus/$$t/ && \
	  build-fuzz/test/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build-fuzz/corpus/$$t > build-fuzz/$$t.log 2>&1 \
	    || { tail -40 build-fuzz/$$t.log; echo "fuzz: $$t found a crash (input saved in the working directory)"; exit 1; }; \
	  echo "fuzz $$t: $$(tail -1 build-fuzz/$$t.log)"; \
	done

clean:
	rm -rf $(BUILD) build-asan build-fuzz
