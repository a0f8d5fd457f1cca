#!/usr/bin/env bash
# The native rows on the H100, in one command: wgslrun on Dawn and wgpu-native, Rust + wgpu, and
# CUDA (built here with nvcc), each running the large suite; plus the copy check of issue 2
# (`wgslrun run` of a 256 MB copy kernel against the CUDA copy kernel, same command).
# Run from the repository root on the device, after scripts/h100/stage.sh on the dev machine.
set -uo pipefail
source scripts/h100/common.sh
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv

log "build CUDA reference"
bash bench/cuda/build.sh >/tmp/cuda_build.log 2>&1 || tail -20 /tmp/cuda_build.log

log "copy check: wgslrun run on a 256 MB copy kernel"
n=16777216
for impl in dawn wgpu; do
  .carry/bin/wgslrun run examples/copy.wgsl --impl "$impl" --bind "src=random:f32:$((n * 4))" \
    --bind "dst=zeros:f32:$((n * 4))" --size "$n" --repeat 30 --warmup 5 --json >"$OUT/copy-$impl.json"
done
timeout 300 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --filter '^copy$' --json "$OUT/copy-cuda.json" >/dev/null

for impl in dawn wgpu; do
  log "wgslrun bench --impl $impl --size large"
  timeout 400 .carry/bin/wgslrun bench --impl "$impl" --size large --json "$OUT/native-$impl.json" 2>&1 | grep -v XDG_RUNTIME
done
log "rust"
timeout 400 .carry/bin/wgslrun-bench-rust --suite bench/suite.json --size large --json "$OUT/rust-wgpu.json" 2>&1 | grep -v XDG_RUNTIME
log "cuda"
timeout 400 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --json "$OUT/cuda.json"
log done
