#!/usr/bin/env bash
# `wgslrun compare` on the GPU machine: the README's quick-start command (saxpy, every method:
# Dawn, wgpu-native, Chromium JS, Chromium wasm, Node, Deno), with the browser configuration the
# probe found on the H200 (results/archive/h200-2026-12-01-03/probe/chromium.env), after unpack.sh has put Chromium,
# the builds and (from .carry/js-hosts.xz, carried by a command of its own before this one)
# Node, dawn.node and Deno in place (common.sh). About a minute.
#   bash scripts/device/compare.sh
# Writes to $OUT (8 files; the 2026-12-03 run's are in results/archive/h200-2026-12-01-03/compare/): compare.txt (the command, the
# table and the progress lines, and the exit status), saxpy-METHOD.json (wgslrun-result/1, one
# per method) and saxpy.html (the report).
set -uo pipefail
source scripts/device/common.sh
source results/archive/h200-2026-12-01-03/probe/chromium.env
# Without the js-hosts piece the node and deno rows say they are unavailable.
[ "${WGSLRUN_CHROMIUM_DISPLAY:-}" = x11 ] && start_xvfb
cmd=(build/wgslrun compare examples/saxpy.wgsl --bind x=random:f32:65536 --bind y=fill:f32:65536:1
     --bind params=values:f32:2.0 --size 65536 --repeat 5 --warmup 1 --methods all --timeout 120
     --json "$OUT/saxpy.json" --report "$OUT/saxpy.html")
{
  log "WGSLRUN_CHROMIUM_DISPLAY=${WGSLRUN_CHROMIUM_DISPLAY:-} WGSLRUN_CHROMIUM_FLAGS='${WGSLRUN_CHROMIUM_FLAGS:-}' ${cmd[*]}"
  "${cmd[@]}" 2>&1
  echo "exit status $?"
} | tee "$OUT/compare.txt"
log done
