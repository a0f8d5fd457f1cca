# Entry points: `make bench` sets up, builds and runs the benchmark; `make test` runs every test;
# `make lib` builds the library and the CLI alone, with only gcc, CMake and libpng.
BUILD ?= build
LIB_BUILD ?= build-lib
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
# Without a GPU, WebGPU runs on SwiftShader (Vulkan on the CPU) from Debian's chromium package.
SWIFTSHADER_ICD := /usr/lib/chromium/vk_swiftshader_icd.json
export VK_ICD_FILENAMES ?= $(if $(wildcard /dev/nvidia0),,$(SWIFTSHADER_ICD))

.PHONY: all setup build lib test test-asan test-valgrind bench install clean fuzz

# Seconds each libFuzzer harness runs in `make test` (4 harnesses); `make fuzz` alone as well.
FUZZ_SECONDS ?= 45

all: build

setup: deps/.ready

deps/.ready: scripts/setup.sh scripts/deps.lock
	bash scripts/setup.sh
	touch $@

# Everything, the wasm32 CLI of the browser rows included (WGSLRUN_BUILD_WASM).
build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# libwgslrun.a and the wgslrun CLI (bench and report included) in $(LIB_BUILD), without the
# tests, the experiments and the wasm build, so without clang-19, node, cargo or Chromium.
# `scripts/setup.sh --lib` installs only what this needs, when the full setup has not run.
LIB_OPTIONS := -DWGSLRUN_BUILD_TESTS=OFF -DWGSLRUN_BUILD_BENCH=OFF -DWGSLRUN_BUILD_WASM=OFF

lib: $(if $(wildcard deps/.ready),deps/.ready,deps/.ready-lib)
	cmake -S . -B $(LIB_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LIB_OPTIONS) >/dev/null
	cmake --build $(LIB_BUILD) -j $(JOBS)

deps/.ready-lib: scripts/setup.sh scripts/deps.lock
	bash scripts/setup.sh --lib
	touch $@

test: build
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWGSLRUN_SANITIZE=ON \
	  -DWGSLRUN_BUILD_BENCH=OFF -DWGSLRUN_BUILD_WASM=OFF >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	bash scripts/valgrind_cli.sh $(BUILD)/wgslrun
	cd $(ASAN_BUILD) && ctest --output-on-failure -E '^(cli|install_bench|test_soak_.*)$$'
	cd $(BUILD) && ctest --output-on-failure
	bash tests/fuzz/run.sh --seconds $(FUZZ_SECONDS)

# The native rows on this machine's default adapter, then the report. On a machine without an
# NVIDIA GPU that is SwiftShader, so the small sizes; BENCH_SIZE=large on a GPU.
BENCH_SIZE ?= $(if $(wildcard /dev/nvidia0),large,small)
BENCH_OUT ?= results/local

bench: build
	mkdir -p $(BENCH_OUT)
	$(BUILD)/wgslrun bench --impl all --size $(BENCH_SIZE) --json $(BENCH_OUT)/native.json
	$(BUILD)/wgslrun report $(BENCH_OUT)/native-*.json --suite bench/suite.json -o $(BENCH_OUT)/report.html
	$(BUILD)/wgslrun report $(BENCH_OUT)/native-*.json --suite bench/suite.json -o $(BENCH_OUT)/report.md

# The prefix is compiled in (where the installed CLI finds Dawn and wgpu-native), so it is set
# at configure time: make install PREFIX=/opt/wgslrun. The suite goes to PREFIX/share/wgslrun,
# where the installed `wgslrun bench` finds it.
PREFIX ?= /usr/local

install: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD)

# The libFuzzer harnesses (tests/fuzz/): build with clang-19, ASan and UBSan, fuzz each for
# FUZZ_SECONDS, fail on any crash. Longer runs: tests/fuzz/run.sh --runs 10000000 npy
fuzz: setup
	bash tests/fuzz/run.sh --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(LIB_BUILD) build-fuzz
