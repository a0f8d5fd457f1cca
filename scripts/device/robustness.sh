#!/usr/bin/env bash
# Measures what Dawn's robustness transform (bounds clamping of every storage access) costs
# the cases where WebGPU trails CUDA: the same large cases with and without it, one command.
set -uo pipefail
source scripts/device/common.sh
filter='^(scan|stencil|sgemm_naive|sgemm_tiled|histogram|mandelbrot)$'
log "dawn, default toggles"
timeout 200 build/wgslrun bench --impl dawn --size large --filter "$filter" --json "$OUT/robust-on.json" 2>&1 | grep -v XDG_RUNTIME | grep -v '^\['
log "dawn, disable_robustness"
WGSLRUN_DAWN_TOGGLES=disable_robustness timeout 200 build/wgslrun bench --impl dawn --size large \
  --filter "$filter" --json "$OUT/robust-off.json" 2>&1 | grep -v XDG_RUNTIME | grep -v '^\['
