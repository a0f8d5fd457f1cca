#!/usr/bin/env bash
# The JavaScript rows on the H100: Node with dawn.node and Deno (wgpu), large suite.
# Chromium is not run here: see results/h100/README.md for why.
set -uo pipefail
source scripts/h100/common.sh
mkdir -p /tmp/js/bin bench/web/node_modules/@deno/linux-x64-glibc
xz -dc .carry-js/node.xz >/tmp/js/bin/node
xz -dc .carry-js/deno.xz >bench/web/node_modules/@deno/linux-x64-glibc/deno
chmod +x /tmp/js/bin/node bench/web/node_modules/@deno/linux-x64-glibc/deno
tar -C bench/web/node_modules -xJf .carry-js/web_modules.tar.xz
export PATH=/tmp/js/bin:$PATH
# Deno's waits sleep 10 ms between polls (deno_webgpu), so 10000 round trips x 15 samples would
# take about 25 minutes: JS_FILTER can leave that variant out (e.g. '^(?!dispatch/round_trip)').
for host in ${JS_HOSTS:-node deno}; do
  log "web $host large"
  timeout 280 node bench/web/run.mjs --host "$host" --size large --json "$OUT/web.json" \
    ${JS_FILTER:+--filter "$JS_FILTER"} 2>&1 | grep -v XDG_RUNTIME
done
log done
