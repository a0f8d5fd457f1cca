#!/usr/bin/env bash
# The browser rows on the GPU machine, large suite: first the probe (which Chromium
# configuration gives a page the GPU's WebGPU adapter, under Xvfb when headless does not), then
# the rows named in ROWS (default: every browser row) with that configuration.
#   ROWS="js wasm" JOB_TIMEOUT=120 bash scripts/device/browser.sh
# PROBE_CONFIGS limits the probe to the named configurations (bench/web/probe_chromium.mjs
# --list), e.g. the one an earlier session found, to spend less device time on it.
# The wasm and WebGL2 rows run job by job (bench/web/jobs.mjs): a job past JOB_TIMEOUT seconds
# fails alone. ROW_TIMEOUT bounds a whole row. Results, the probe's report and the
# configuration used go to $OUT.
set -uo pipefail
source scripts/device/common.sh
ROWS=${ROWS:-js wasm webgl2 rust-wasm}
ROW_TIMEOUT=${ROW_TIMEOUT:-280}
JOB_TIMEOUT=${JOB_TIMEOUT:-120}
start_xvfb

# The probe's choice lasts the machine's life, so a later command runs more rows without it.
picked=/tmp/wgslrun-chromium.env
if [ ! -f "$picked" ]; then
  log "probe: Chromium configurations"
  configs=()
  for name in ${PROBE_CONFIGS:-}; do configs+=(--config "$name"); done
  timeout 300 node bench/web/probe_chromium.mjs "${configs[@]}" --json "$OUT/chromium-probe.json" --env-out "$picked"
fi
cp "$picked" "$OUT/chromium.env"
if [ ! -s "$picked" ]; then
  log "no Chromium configuration reached the GPU; browser rows not run"
  exit 1
fi
source "$picked"
log "configuration: display=${WGSLRUN_CHROMIUM_DISPLAY:-headless} flags=${WGSLRUN_CHROMIUM_FLAGS:-none}"

for row in $ROWS; do
  log "row $row"
  case $row in
    js) timeout "$ROW_TIMEOUT" node bench/web/run.mjs --host chromium --size large --json "$OUT/browser-js.json" ;;
    wasm) timeout "$ROW_TIMEOUT" node bench/wasm/run.mjs --size large --job-timeout "$JOB_TIMEOUT" \
            --json "$OUT/browser-wasm.json" ;;
    webgl2) timeout "$ROW_TIMEOUT" node bench/webgl2/run.mjs --size large --job-timeout "$JOB_TIMEOUT" \
              --json "$OUT/webgl2.json" >/dev/null ;;
    rust-wasm) timeout "$ROW_TIMEOUT" node bench/rust-wasm/run.mjs --size large --job-timeout "$JOB_TIMEOUT" \
                 --json "$OUT/browser-rust-wasm.json" ;;
    *) echo "browser.sh: unknown row $row (js, wasm, webgl2, rust-wasm)"; exit 2 ;;
  esac
  echo "row $row: exit $?"
done
log done
