#!/usr/bin/env bash
# Runs the CLI under valgrind memcheck: a whole `run` (compile, upload, dispatch, download, .npy
# write) on wgpu-native, one with textures, a sampler and PNG files, a `compare`, `check` on
# Dawn and `report` in each format. Fails on any memory error or definite leak.
# Dispatches run on Mesa's lavapipe: SwiftShader's JIT emits instructions valgrind 3.19 cannot
# decode, and Dawn refuses lavapipe, so Dawn is checked up to pipeline creation.
set -euo pipefail
binary=${1:?usage: valgrind_cli.sh path/to/wgslrun}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
memcheck() {
  valgrind --quiet --suppressions="$root/tests/valgrind.supp" --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite "$@" 2> >(grep -v XDG_RUNTIME_DIR >&2)
}
VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json memcheck "$binary" run "$root/examples/saxpy.wgsl" \
  --impl wgpu --bind x=random:f32:1024 --bind y=fill:f32:1024:1 --bind params=values:f32:2 --size 1024 \
  --out "y=$out/y.npy" >/dev/null
# Textures and a sampler, PNG in (written by a plain run first) and PNG out.
VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json "$binary" run "$root/examples/blur.wgsl" --impl wgpu \
  --bind src=random:rgba8unorm:16x16 --bind dst=zeros:rgba8unorm:16x16 --size 16,16 --out "dst=$out/in.png" >/dev/null
VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json memcheck "$binary" run "$root/examples/blur.wgsl" \
  --impl wgpu --bind "src=$out/in.png" --bind dst=zeros:rgba8unorm:16x16 --sampler smp=linear --size 16,16 \
  --out "dst=$out/out.png" >/dev/null
# compare's own work (inputs, job file, child processes, output comparison, result files and
# the report); its methods run as children, outside valgrind: wgpu-native, and an unavailable node.
VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json WGSLRUN_NODE=/nonexistent memcheck "$binary" compare \
  "$root/examples/saxpy.wgsl" --methods wgpu,node --bind x=random:f32:1024 --bind y=fill:f32:1024:1 \
  --bind params=values:f32:2 --size 1024 --json "$out/c.json" --report "$out/c.html" >/dev/null 2>&1
VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json memcheck "$binary" check "$root/examples/saxpy.wgsl" --impl dawn >/dev/null
# `report` over the committed campaign (two rounds, variants, limits) in every format.
for ext in md html json; do
  memcheck "$binary" report "$root"/results/h200/r[0-9]*-*.json --suite "$root/bench/suite.json" \
    --limits "$root/results/h200/notes/limits.json" -o "$out/report.$ext" >/dev/null
done
# A run that fails on bad input must exit 1, not 99 (valgrind's code for a memory error).
status=0
memcheck "$binary" run "$root/examples/saxpy.wgsl" --bind "x=$out/absent.npy" --size 4 >/dev/null 2>&1 || status=$?
[ "$status" = 1 ] || { echo "valgrind: failing run exited $status, expected 1" >&2; exit 1; }
echo "valgrind: CLI runs clean (wgpu runs on lavapipe, buffers and textures, compare, dawn check, report, a failing run)"
