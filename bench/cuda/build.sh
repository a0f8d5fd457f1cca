#!/usr/bin/env bash
# Builds bench/cuda/build/bench_cuda. Needs nvcc (CUDA 12 or 13) and a C compiler.
#   bench/cuda/build.sh            # from anywhere
#   NVCC=/path/to/nvcc CC=gcc NVCC_FLAGS="-L/extra/lib" bench/cuda/build.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/build"
NVCC="${NVCC:-nvcc}"
CC="${CC:-cc}"
mkdir -p "$out"

# The suite's version of wgslrun, for the result file's "versions".
version="$(sed -n 's/^#define WR_VERSION "\(.*\)".*/\1/p' "$root/include/wgslrun.h" 2>/dev/null | head -n1)"

"$CC" -std=c11 -O2 -Wall -c "$root/json/json.c" -o "$out/json.o"
"$NVCC" -O3 -arch=sm_90 -std=c++17 \
    -DBENCH_CUDA_SOURCE_DIR="\"$here\"" -DWGSLRUN_VERSION="\"${version:-unknown}\"" \
    -Xcompiler -Wall ${NVCC_FLAGS:-} \
    "$here"/bench_cuda.cu "$here"/harness.cu "$here"/case_memory.cu "$here"/case_sgemm.cu \
    "$here"/case_compute.cu "$here"/case_overhead.cu "$here"/case_lookback.cu \
    "$here"/check.cpp "$here"/suite.cpp "$here"/result.cpp "$here"/sysinfo.cpp "$here"/verify.cpp \
    "$out/json.o" -lcublas -ldl -o "$out/bench_cuda"
echo "built $out/bench_cuda"
