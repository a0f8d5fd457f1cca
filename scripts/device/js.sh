#!/usr/bin/env bash
# The JavaScript rows outside the browser on the GPU machine, large suite: Node with dawn.node
# and Deno (wgpu). JS_HOSTS picks hosts; JS_FILTER passes a --filter.
# Deno's waits sleep 10 ms between polls (deno_webgpu): its dispatch/round_trip runs the count
# bench/suite.json gives it in "host_sizes" (200), the same metric with fewer round trips.
set -uo pipefail
source scripts/device/common.sh
# Node, dawn.node and Deno come in .carry/js-hosts.xz (stage.sh), which common.sh unpacks.
for host in ${JS_HOSTS:-node deno}; do
  log "web $host large"
  timeout 280 node bench/web/run.mjs --host "$host" --size large --json "$OUT/$host-js.json" \
    ${JS_FILTER:+--filter "$JS_FILTER"} 2>&1 | grep -v XDG_RUNTIME
done
log done
