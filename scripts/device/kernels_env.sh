# Sourced by scripts/device/kernels_sweep.sh and kernels_probe.sh: the GPU machine's setup from
# what the lead carries (build/, deps/dawn, deps/wgpu, .gl/), not common.sh's full bundle.
# KERNELS_SMOKE=1: a check of the scripts themselves on SwiftShader (small sizes, no CUDA).
SMOKE=${KERNELS_SMOKE:-}
if [[ -n $SMOKE ]]; then
  export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json WGSLRUN_DEPS=$PWD/deps
  SIZE=small GRID="--width 256 --height 256" LATE_MIB=16
else
  source scripts/device/gpu_env.sh
  SIZE=large GRID="" LATE_MIB=1536
fi
OUT=${OUT:-/tmp/kernels-out}
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
quiet() { grep -v XDG_RUNTIME | grep -v '^\['; }
clocks() { [[ -n $SMOKE ]] || nvidia-smi --query-gpu=clocks.sm,clocks.mem,power.draw,temperature.gpu,pstate --format=csv,noheader; }
cuda_build() { [[ -n $SMOKE ]] || build_cuda; }
cuda_bench() { # filter json
  [[ -n $SMOKE ]] && return 0
  timeout 150 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --filter "$1" --json "$2" | tail -1
}
