#!/usr/bin/env bash
# The sgemm_tiled tile-shape sweep on the GPU machine (issue 11): every shape that
# bench/experiments/sgemm_gen.py generates, plus the previous suite kernel as a baseline, at
# n = 4096 and 8192 on Dawn and on wgpu-native (`wgslrun bench --suite` of the generated suite:
# each variant verified against the CPU reference on 256 sampled outputs, then 3 warm-up and 10
# timed samples of 2 runs, GPU timestamps), and cuBLAS with the CUDA tiled kernel at the same
# sizes in the same command. About 3 minutes: building the CUDA runner ~1, 14 variants x 2
# implementations ~1.5 (~2-3 s per wgslrun call); past BUDGET_S (200) seconds the remaining
# variants are skipped, so one device call stays under 4 minutes.
#   bash scripts/device/sgemm_sweep.sh               # SIZES=8192 for one size, PEAK_TFLOPS=67 the fp32 peak
# Needs build/wgslrun, deps/ and .gl/ carried (not the stage.sh bundle). Writes $OUT/sgemm_sweep.json
# (every variant, size and implementation, the best per implementation) and
# $OUT/sgemm_sweep_results.tar.gz (the kernels, suites and each call's wgslrun-result/1 file), and
# prints the table last.
set -uo pipefail
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export VK_ICD_FILENAMES=$VK_DRIVER_FILES WGSLRUN_DEPS=$PWD/deps
OUT=${OUT:-/tmp/out}
SIZES=${SIZES:-4096,8192}
mkdir -p "$OUT"
log() { echo "== $(date -u +%H:%M:%S) $*"; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
sweep=$(mktemp -d)
python3 bench/experiments/sgemm_gen.py --sweep "$sweep" --sizes "$SIZES" || exit
build_cuda
log "cuBLAS and the CUDA tiled kernel"
timeout 60 bench/cuda/build/bench_cuda --suite "$sweep/cuda_suite.json" --size large \
  --json "$sweep/result-cuda.json" >/dev/null
# One wgslrun call per variant and implementation, so that one that hangs or crashes costs only
# its own row; the implementations alternate, so a spent budget cuts both alike.
# Each shape runs from a suite of its own case (suite-SHAPE.json; tags name the shapes).
variants=$(python3 - "$sweep" <<'PY'
import json, sys
sweep = sys.argv[1]
suite = json.load(open(f"{sweep}/suite.json"))
for case in suite["cases"]:
    json.dump(dict(suite, cases=[case]), open(f"{sweep}/suite-{case['tag']}.json", "w"), indent=1)
    print(case["tag"])
PY
)
files=()
log "sweep"
for v in $variants; do
  for impl in dawn wgpu; do
    if [ "$SECONDS" -gt "${BUDGET_S:-200}" ]; then echo "time budget spent: $impl $v skipped"; continue; fi
    timeout 30 build/wgslrun bench --impl "$impl" --suite "$sweep/suite-$v.json" --size large \
      --json "$sweep/result-$impl-$v.json" >/dev/null 2>"$sweep/log-$impl-$v.txt"
    rc=$?
    grep -e '^\[' -e 'error' "$sweep/log-$impl-$v.txt" | grep -v XDG_RUNTIME
    [ $rc -le 1 ] || echo "$impl $v: wgslrun exited with status $rc (124: timed out), no result"
    files+=("$sweep/result-$impl-$v.json")
  done
done
log done
tar -czf "$OUT/sgemm_sweep_results.tar.gz" -C "$sweep" .
python3 bench/experiments/sgemm_sweep_summary.py --peak-tflops "${PEAK_TFLOPS:-67}" --json "$OUT/sgemm_sweep.json" \
  "${files[@]}" "$sweep/result-cuda.json"
rm -rf "$sweep"
