#!/usr/bin/env bash
# Builds the wasm32 row of the benchmark: bench/wasm/build/wgslrun.wasm is the wgslrun CLI
# (run, check, info, bench) compiled for wasm32-wasi, with the library's loader and wait
# primitive replaced by src/loader_wasm.c and src/wait_wasm.c. Its webgpu.h calls are imports
# from module "webgpu" (webgpu_glue.mjs implements them in the page); its files, clock and
# output go through WASI (wasi_shim.mjs). Also builds build/layout.wasm, which prints the
# wasm32 layout of every webgpu.h struct the glue reads or writes (test/layout.test.mjs).
#
# Needs Debian's clang-19, lld-19, libclang-rt-19-dev-wasm32 and wasi-libc:
#   apt-get install -y clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/build"
CC="${CC:-clang-19}"
# Where the page mounts the repository in its in-memory file system (host_page.mjs), so the
# runner's default suite path, WGSLRUN_SOURCE_DIR/bench/suite.json, resolves there too.
SOURCE_DIR="/wgslrun"

if ! command -v "$CC" >/dev/null; then
  echo "build.sh: $CC not found: apt-get install -y clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc" >&2
  exit 1
fi
if [ ! -f "$ROOT/deps/wgpu/webgpu.h" ]; then
  echo "build.sh: $ROOT/deps/wgpu/webgpu.h is missing: run scripts/setup.sh first" >&2
  exit 1
fi

# The native build's warnings (CMakeLists.txt) plus:
#   -D_WASI_EMULATED_GETPID: npy.c names its temporary files after getpid();
#   -ftrivial-auto-var-init=zero: cli/cmd_run.c reads `m` uninitialised after `--json` and
#     `--default-limits` (clang: -Wsometimes-uninitialized); zero makes it the harmless value
#     it happens to be natively. The warning stays visible.
CFLAGS=(
  --target=wasm32-wasi -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_WASI_EMULATED_GETPID
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wno-format-truncation
  -ftrivial-auto-var-init=zero
  -I"$ROOT/include" -I"$ROOT/src" -I"$ROOT/json" -I"$ROOT/common" -I"$ROOT/cli" -I"$ROOT/bench/native"
  -I"$ROOT/deps/wgpu"
  -DWGSLRUN_SOURCE_DIR="\"$SOURCE_DIR\""
)

# --export-table: the glue calls C callbacks through the indirect function table.
# malloc/free: the glue allocates strings, mapped ranges and structs it hands to C.
# 8 MiB of stack, as a native main thread has; memory may grow to the wasm32 limit.
# --wrap: glue_hooks.c marks job and timing-loop boundaries for the boundary counters.
# A reactor (reactor_main.c says why), entered through _initialize and wgslrun_main.
LDFLAGS=(
  -mexec-model=reactor
  -Wl,--export-table -Wl,--export=malloc -Wl,--export=free
  -Wl,-z,stack-size=8388608 -Wl,--max-memory=4294967296
  -Wl,--wrap=bench_run_job -Wl,--wrap=bench_measure -Wl,--wrap=bench_measure_batch
  -lwasi-emulated-getpid
)

library_sources() {
  for f in "$ROOT"/src/*.c; do
    case "$(basename "$f")" in
      loader.c | wait.c) ;;  # the native platform files; *_wasm.c replace them
      *) echo "$f" ;;
    esac
  done
}

# The CLI as built natively, less `report` and `compare` (cli_stubs.c) and so without report/,
# plus the modules it links: json/, common/ and the native benchmark runner.
cli_sources() {
  for f in "$ROOT"/cli/*.c; do
    case "$(basename "$f")" in
      cmd_report.c | cmd_compare*.c) ;;
      *) echo "$f" ;;
    esac
  done
  ls "$ROOT"/json/*.c "$ROOT"/common/*.c "$ROOT"/bench/native/*.c
  echo "$HERE/cli_stubs.c"
  echo "$HERE/glue_hooks.c"
  echo "$HERE/wasi_extras.c"
  echo "$HERE/reactor_main.c"
}

compile() {
  local src="$1" obj="$OUT/obj/$(echo "${1#"$ROOT"/}" | tr '/' '_').o"
  "$CC" "${CFLAGS[@]}" -c "$src" -o "$obj"
  echo "$obj"
}

main() {
  rm -rf "$OUT/obj"
  mkdir -p "$OUT/obj"
  local objects=()
  while read -r src; do objects+=("$(compile "$src")"); done < <(library_sources; cli_sources)
  "$CC" "${CFLAGS[@]}" "${objects[@]}" "${LDFLAGS[@]}" -o "$OUT/wgslrun.wasm"
  "$CC" "${CFLAGS[@]}" "$HERE/layout.c" -o "$OUT/layout.wasm"
  "$CC" --version | head -1 > "$OUT/compiler.txt"
  echo "build.sh: wrote $OUT/wgslrun.wasm ($(stat -c %s "$OUT/wgslrun.wasm") bytes) and $OUT/layout.wasm"
}

main "$@"
