#!/usr/bin/env bash
# Issue 11 on the H200: one suite case run with other kernels in place of its own (same
# bindings, same verification), on Dawn and wgpu-native, two interleaved rounds, and CUDA's
# kernel for the case in the same command. From the repository root, carrying build/wgslrun,
# deps/dawn, deps/wgpu and .gl/:
#   bash scripts/device/kernel_variants.sh mandelbrot bench/experiments/mandelbrot_v2.wgsl
# KERNELS_SMOKE=1 runs it on SwiftShader at the small size, without CUDA. Writes
# $OUT/variants-CASE.tar.gz (every result) and $OUT/variants-CASE.txt (the table, printed too).
set -uo pipefail
source scripts/device/kernels_env.sh
case_id=${1:?usage: kernel_variants.sh CASE KERNEL.wgsl...}
shift
work=$(mktemp -d /tmp/variants.XXXXXX)
names=(suite)
for kernel in "$@"; do
  name=$(basename "$kernel" .wgsl)
  names+=("$name")
  python3 - "$case_id" "$(realpath "$kernel")" "$work/$name.suite.json" <<'PY'
import json, sys
case_id, kernel, out = sys.argv[1:]
suite = json.load(open("bench/suite.json"))
cases = [dict(c, kernel=kernel) for c in suite["cases"] if c["id"] == case_id]
if not cases:
    sys.exit(f"kernel_variants.sh: no case '{case_id}' in bench/suite.json")
json.dump(dict(suite, cases=cases), open(out, "w"), indent=1)
PY
  [ $? -eq 0 ] || exit 2
done
cuda_build
for round in 1 2; do
  for impl in dawn wgpu; do
    for name in "${names[@]}"; do
      suite=bench/suite.json
      [[ $name == suite ]] || suite=$work/$name.suite.json
      log "round $round $impl $name $(clocks)"
      timeout 120 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter "^$case_id\$" --suite "$suite" \
        --json "$work/$name-$impl-r$round.json" 2>&1 | quiet
    done
  done
  log "round $round cuda $(clocks)"
  cuda_bench "^$case_id\$" "$work/cuda-cuda-r$round.json"
done
python3 - "$work" <<'PY' | tee "$OUT/variants-$case_id.txt"
import glob, json, os, sys
print(f"{'kernel':<24} {'impl':<5} {'round':<5} {'verified':<9} {'median':>12}  unit     rsd")
for path in sorted(glob.glob(sys.argv[1] + "/*-r[12].json")):
    kernel, impl, rnd = os.path.basename(path)[:-5].rsplit("-", 2)
    for r in json.load(open(path))["results"]:
        metric, noise = r.get("metric") or {}, r.get("noise") or {}
        value = metric.get("value")
        shown = f"{value:.5g}" if isinstance(value, (int, float)) else "-"
        rsd = f"{noise['rsd']:.4f}" if isinstance(noise.get("rsd"), (int, float)) else "-"
        print(f"{kernel:<24} {impl:<5} {rnd:<5} {str(r.get('verified')):<9} {shown:>12}  "
              f"{metric.get('unit', ''):<8} {rsd}")
PY
tar -czf "$OUT/variants-$case_id.tar.gz" -C "$work" .
