#!/usr/bin/env bash
# Re-runs the native wgslrun rows alone (after a runner fix), large suite, on Dawn and wgpu-native.
set -uo pipefail
source scripts/h100/common.sh
for impl in dawn wgpu; do
  log "wgslrun bench --impl $impl --size large"
  timeout 250 .carry/bin/wgslrun bench --impl "$impl" --size large --json "$OUT/native-$impl.json" 2>&1 | grep -v XDG_RUNTIME | grep -v '^\['
done
