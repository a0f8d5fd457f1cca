#!/usr/bin/env bash
# Issue 11: the code each side generates for the kernels below CUDA's speed (mandelbrot, reduce),
# to compare instruction by instruction: CUDA's PTX and SASS (cuobjdump on bench_cuda) and the
# SPIR-V naga makes of the WGSL (naga-cli, the translator wgpu-native links), with a count of
# instructions per kind in each one's inner loop.
#   bash scripts/device/codegen.sh              # on the GPU machine, from the repository root
#   CODEGEN_LOCAL=1 bash scripts/device/codegen.sh   # only the SPIR-V part (no GPU needed)
# Needs: cuobjdump and nvcc (CUDA toolkit) for the CUDA part; naga (NAGA=path, else on PATH:
# `cargo install naga-cli --version 29.0.3`, the naga of the pinned wgpu-native) and spirv-dis
# (Debian spirv-tools) for the SPIR-V part. Writes $OUT/codegen/ (default /tmp/codegen-out).
# Dawn's SPIR-V (Tint's, as Dawn compiles for Vulkan) comes from `wgslrun check --impl dawn` with
# the dump_shaders toggle and --impl-log (build/wgslrun, on any Vulkan driver: SwiftShader here).
set -uo pipefail
OUT=${OUT:-/tmp/codegen-out}
dir="$OUT/codegen"
mkdir -p "$dir"
kernels=(mandelbrot reduce reduce_subgroups)
NAGA=${NAGA:-naga}

# Instructions per opcode from the first loop's header to its back edge (the OpBranch to the
# header), the inner loop of each kernel here, in SPIR-V disassembly; naga's loop-bound
# counter (wgpu-native adds it to every loop) is part of it.
spirv_loop_counts() { # file.spvasm
  awk '/= OpLabel/ { label = $1 }
       !header && /OpLoopMerge/ { header = label }
       header && /^ *(%[A-Za-z0-9_]+ = )?Op/ {
         op = $0; sub(/^ *(%[A-Za-z0-9_]+ = )?/, "", op); sub(/ .*/, "", op); n[op]++; total++ }
       header && $1 == "OpBranch" && $2 == header { exit }
       END { for (o in n) printf "%5d %s\n", n[o], o; printf "%5d total\n", total }' "$1" | sort -rn
}

spirv_part() {
  if ! command -v "$NAGA" >/dev/null || ! command -v spirv-dis >/dev/null; then
    echo "SPIR-V part skipped: needs naga (NAGA=$NAGA) and spirv-dis" | tee "$dir/spirv-skipped.txt"
    return
  fi
  for k in "${kernels[@]}"; do
    src="bench/kernels/$k.wgsl"
    # naga, like wgpu-native, does not parse `enable subgroups;` (wgslrun blanks it for wgpu).
    sed 's/^\( *\)enable subgroups;/\1                 /' "$src" > "$dir/$k.naga.wgsl"
    if "$NAGA" "$dir/$k.naga.wgsl" "$dir/$k.naga.spv" > "$dir/$k.naga.log" 2>&1; then
      spirv-dis "$dir/$k.naga.spv" -o "$dir/$k.naga.spvasm"
      { echo "# $k: naga $("$NAGA" --version 2>/dev/null | head -1), first loop of the module"
        spirv_loop_counts "$dir/$k.naga.spvasm"; } > "$dir/$k.naga.loop.txt"
    else
      echo "$k: naga failed: $(head -3 "$dir/$k.naga.log")"
    fi
    rm -f "$dir/$k.naga.wgsl"
  done
}

# Tint's SPIR-V of each entry point, from Dawn's device log: every "Dumped generated SPIRV
# disassembly" message up to the next dump, one file per kernel, then the first loop's counts.
tint_part() {
  if [[ ! -x build/wgslrun ]]; then
    echo "Tint part skipped: no build/wgslrun" | tee "$dir/tint-skipped.txt"
    return
  fi
  for k in "${kernels[@]}"; do
    rm -f "$dir/$k.dawn.log"
    WGSLRUN_DAWN_TOGGLES=dump_shaders WGSLRUN_IMPL_LOG="$dir/$k.dawn.log" \
      build/wgslrun check --impl dawn "bench/kernels/$k.wgsl" > /dev/null 2>&1 || echo "$k: wgslrun check failed on Dawn"
    awk '/^\/\* Dumped generated SPIRV disassembly/ { p = 1; next } /^(\/\/|\/\*) Dumped/ { p = 0 } p' \
      "$dir/$k.dawn.log" > "$dir/$k.tint.spvasm"
    rm -f "$dir/$k.dawn.log"
    { echo "# $k: Tint (the Dawn in deps/dawn), first loop of the first entry point"
      spirv_loop_counts "$dir/$k.tint.spvasm"; } > "$dir/$k.tint.loop.txt"
  done
}

# SASS instructions per opcode inside each function's first backward branch, per kernel.
sass_loop_counts() { # file.sass
  awk '/Function :/ { if (fn) report(); fn = $3; delete n; total = 0; next }
       /\/\*[0-9a-f]+\*\// { line = $0; sub(/.*\*\/ +/, "", line); op = line; sub(/[ ;].*/, "", op)
         if (op ~ /^@/) { op = line; sub(/^@!?U?P[0-9T]+ +/, "", op); sub(/[ ;].*/, "", op) }
         if (op != "") { n[op]++; total++ } }
       function report() { printf "## %s (whole function)\n", fn; for (o in n) printf "%5d %s\n", n[o], o
         printf "%5d total\n", total }
       END { if (fn) report() }' "$1"
}

cuda_part() {
  if ! command -v cuobjdump >/dev/null; then
    echo "CUDA part skipped: no cuobjdump" | tee "$dir/cuda-skipped.txt"
    return
  fi
  [[ -x bench/cuda/build/bench_cuda ]] || bash bench/cuda/build.sh > "$dir/cuda_build.log" 2>&1
  for what in mandelbrot partial_sums final_sum; do
    names=$(cuobjdump -symbols bench/cuda/build/bench_cuda 2>/dev/null | grep -o "_Z[A-Za-z0-9_]*${what}[A-Za-z0-9_]*" | sort -u)
    for fn in $names; do
      cuobjdump -sass -fun "$fn" bench/cuda/build/bench_cuda > "$dir/cuda_$what.sass"
      cuobjdump -ptx bench/cuda/build/bench_cuda | awk -v f="$fn" '$0 ~ "\\.entry " f { p = 1 } p; p && /^}/ { exit }' \
        > "$dir/cuda_$what.ptx"
    done
    [[ -s $dir/cuda_$what.sass ]] && sass_loop_counts "$dir/cuda_$what.sass" > "$dir/cuda_$what.counts.txt"
  done
}

spirv_part
tint_part
[[ -n ${CODEGEN_LOCAL:-} ]] || cuda_part
ls -l "$dir"
