#!/usr/bin/env bash
# The sgemm_tiled tile-shape sweep on the GPU machine (issue 11): every shape that
# bench/experiments/sgemm_gen.py generates, plus the previous suite kernel as a baseline, at
# n = 4096 and 8192 on Dawn and on wgpu-native (`wgslrun bench --suite` of the generated suite:
# each variant verified against the CPU reference on 256 sampled outputs, then 3 warm-up and 10
# timed samples of 2 runs, GPU timestamps), and cuBLAS with the CUDA tiled kernel at the same
# sizes in the same command. About 2-3 minutes (most of it building the CUDA runner).
#   bash scripts/device/sgemm_sweep.sh
# Needs build/wgslrun, deps/ and .gl/ carried (not the stage.sh bundle). Writes $OUT/sgemm_sweep.json
# (every variant, size and implementation, the best per implementation) and
# $OUT/sgemm_sweep_{dawn,wgpu,cuda}.json, and prints the table last.
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
log "build CUDA reference"
bash bench/cuda/build.sh >/tmp/cuda_build.log 2>&1 || tail -20 /tmp/cuda_build.log
for impl in dawn wgpu; do
  log "sweep on $impl"
  timeout 150 build/wgslrun bench --impl "$impl" --suite "$sweep/suite.json" --size large \
    --json "$OUT/sgemm_sweep_$impl.json" 2>&1 | grep -v XDG_RUNTIME | grep -v '^\[' | tail -n +2
done
log "cuBLAS and the CUDA tiled kernel"
timeout 100 bench/cuda/build/bench_cuda --suite "$sweep/cuda_suite.json" --size large \
  --json "$OUT/sgemm_sweep_cuda.json" >/dev/null
log done
python3 bench/experiments/sgemm_sweep_summary.py --peak-tflops "${PEAK_TFLOPS:-67}" --json "$OUT/sgemm_sweep.json" \
  "$OUT"/sgemm_sweep_{dawn,wgpu,cuda}.json
