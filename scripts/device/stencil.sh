#!/usr/bin/env bash
# What limits the stencil: the suite's kernel against two variants that keep the same result
# bit for bit (bench/experiments/): neighbours from a workgroup-memory tile, and (256, 1)
# workgroups; one 8192 x 8192 sweep each, on Dawn and wgpu-native, with CUDA's suite case in the
# same command.
set -uo pipefail
source scripts/device/common.sh
build_cuda
n=$((8192 * 8192))
sweep() { # impl kernel grid name
  build/wgslrun run "$2" --impl "$1" --bind "src=random:f32:$n:7" --bind "dst=zeros:f32:$n" \
    --bind params=values:u32:8192,8192 --grid "$3" --repeat 20 --warmup 5 --out "dst=/tmp/$1-$4.bin" \
    --json >"$OUT/stencil-$1-$4.json" 2>/dev/null
  python3 -c "import json; d=json.load(open('$OUT/stencil-$1-$4.json')); g=d['gpu_ms']['median']; print('%-5s %-8s %.4f ms/sweep %6.0f GB/s' % ('$1', '$4', g, 2 * $n * 4 / g / 1e6))"
}
for impl in dawn wgpu; do
  sweep "$impl" bench/kernels/stencil.wgsl 512,512 suite
  sweep "$impl" bench/experiments/stencil_tiled.wgsl 512,512 tiled
  sweep "$impl" bench/experiments/stencil_rows.wgsl 32,8192 rows
  cmp "/tmp/$impl-suite.bin" "/tmp/$impl-tiled.bin" && cmp "/tmp/$impl-suite.bin" "/tmp/$impl-rows.bin" \
    && echo "$impl: the three variants agree bit for bit"
done
timeout 200 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --filter '^stencil$' \
  --json "$OUT/stencil-cuda.json" | tail -2
