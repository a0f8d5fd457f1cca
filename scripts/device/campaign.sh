#!/usr/bin/env bash
# The whole results set on one H200 from a clean clone: every method, two rounds each, in the
# device tool's limits (a command <= 10 min, <= 64 MiB carried per command, <= 30 min of device
# time per session, the machine warm only 30 s between commands: issue the next step at once).
#
# On the development machine, once:
#   make build && (cd bench/rust && cargo build --release --locked)
#   bash bench/rust-wasm/setup.sh && bash bench/rust-wasm/build.sh   # NATIVE_APART packs it only if built
#   NATIVE_APART=1 bash scripts/device/stage.sh     # .gl/, .carry/js-hosts.xz (Node, dawn.node,
#                                                   # Deno: one piece) and .carry/bundle.00.. (the
#                                                   # browser rows, 58 MiB pieces); session A
#                                                   # needs only .gl/ (stage.sh's first step)
#   bash scripts/device/campaign.sh list            # the steps, their carry lists and times
# Then, for each step in order, one device command from the repository root:
#   command: bash scripts/device/campaign.sh step A1      carry: what `campaign.sh carry A1` prints
# (If stage.sh made two pieces, not three, the last one completes the bundle a step earlier and
# the bundle.02 carry is simply absent.) Each step writes rN-METHOD.json (N = its round),
# campaign-STEP.log (the native rows' lines time-stamped) and clocks-STEP.csv (nvidia-smi every
# 50 ms) to $OUT; put them in one folder and make its reports (rounds are told apart by the rN-
# file names): against CUDA and against native C, each as .html, .md and .json, with the measured
# limits of results/h200/notes/limits.json:
#   bash scripts/device/campaign.sh report DIR
#
# Sessions (a fresh machine each, up to 30 min of device time):
#   A  native C on Dawn and wgpu-native, CUDA, Rust + wgpu
#   B  Node and Deno
#   C  JS and C -> wasm in Chromium
#   D  Rust -> wasm and WebGL2 in Chromium
# Each runs rounds 1 and 2, round 2 in the reverse order, so no method always runs first on a
# cold or last on a hot GPU. The steps of A and B carry everything they need, so a machine that
# went cold between two of them (30 s idle) costs only its restart; C and D gather the browser
# bundle one piece per command in the machine's /tmp, so their steps must follow each other
# within 30 s. C and D carry the same bundle, so a row step that did not fit in session C (C4-C6:
# they carry nothing) can run in session D after D3, and the other way round. Every row opens a device per case (native, Rust, JS) or runs job by job (wasm,
# WebGL2); the native and CUDA rows first load the GPU until its timings settle (suite.json
# settle_seconds), and every case warms up for warmup_seconds. Sessions B, C and D begin with
# a CUDA anchor (copy, triad, sgemm_tiled, dispatch: anchor-B-cuda.json ...) that shows how far
# their machine is from session A's; the report divides every row by session A's CUDA.
#
# Estimated minutes per step: measured for A and B on 2026-12-04 (results/h200/README.md: A1
# 6.4, A2 6.5, B1 8.7, B2 5.9 of device wall); the browser rows from the 2026-12-01/02 logs
# (results/archive/h200-2026-12-01-03/logs/*.log: fixed 5 + 10 samples, Chromium JS 3.5,
# Rust -> wasm 2.1, WebGL2 3.5, probe 0.4, CUDA build 0.6 and anchor 0.6) plus the adaptive
# rule's worst case (about 12 noisy cases a row into the 2 s cap: +0.4 a row) and the warm-up
# (+0.3 a row). C -> wasm (5.0) was measured in pieces. Machine start is not included (about
# 1.5 min); a command on a warm machine costs about 10 s more than its wall time.
set -uo pipefail
cd "$(dirname "$0")/../.."

NATIVE="build/wgslrun deps/dawn deps/wgpu bench/rust/target/release/wgslrun-bench-rust .gl"
JS_HOSTS=".carry/js-hosts.xz .carry/js-hosts.sha256 .gl"
piece() { echo ".carry/bundle.0$1 .carry/SHA256SUMS"; }

# step | carry | minutes | what it runs
STEPS=(
  "A1|$NATIVE|6.4|round 1: CUDA (built here), native C on Dawn and wgpu-native, Rust + wgpu"
  "A2|$NATIVE|6.5|round 2: Rust + wgpu, CUDA, native C on wgpu-native and Dawn"
  "B1|$JS_HOSTS|8.7|the CUDA anchor; round 1: Node and Deno"
  "B2|$JS_HOSTS|5.9|round 2: Deno and Node"
  "C1|$(piece 0) .gl|0.2|nothing to run yet: the first piece waits in /tmp"
  "C2|$(piece 1)|0.2|the second piece"
  "C3|$(piece 2)|5.8|the CUDA anchor, Chromium probe; round 1: JS in Chromium (the bundle is complete: unpacked here)"
  "C4||5.7|round 1: C -> wasm in Chromium"
  "C5||5.7|round 2: C -> wasm in Chromium"
  "C6||4.2|round 2: JS in Chromium"
  "D1|$(piece 0) .gl|0.2|the first piece"
  "D2|$(piece 1)|0.2|the second piece"
  "D3|$(piece 2)|4.6|the CUDA anchor, Chromium probe; round 1: Rust -> wasm in Chromium"
  "D4||4.2|round 1: WebGL2"
  "D5||7.0|round 2: WebGL2 and Rust -> wasm in Chromium"
)

field() { # field STEP INDEX
  for s in "${STEPS[@]}"; do
    IFS='|' read -r name carry minutes what <<<"$s"
    [ "$name" = "$1" ] || continue
    case $2 in 1) echo "$carry" ;; 2) echo "$minutes" ;; 3) echo "$what" ;; esac
    return 0
  done
  return 1
}

list() {
  printf '%-4s %6s  %-58s %s\n' step "~min" "carry (besides the tracked tree)" "runs"
  for s in "${STEPS[@]}"; do
    IFS='|' read -r name carry minutes what <<<"$s"
    printf '%-4s %6s  %-58s %s\n' "$name" "$minutes" "${carry:-nothing (kept from earlier steps)}" "$what"
  done
  for session in A B C D; do
    awk -v s="$session" -F'|' 'substr($1, 1, 1) == s { t += $3 } END { printf "session %s: about %.0f min of commands\n", s, t }' \
      < <(printf '%s\n' "${STEPS[@]}")
  done
}

# A row's result, renamed to its round: $1 = file the row wrote, $2 = round, $3 = name.
keep() {
  if [ -f "$1" ]; then mv "$1" "$OUT/r$2-$3.json"; else echo "campaign: $3 (round $2) wrote no result"; fi
}

native_rows() { # round, rows (dawn wgpu cuda rust)
  local tmp
  tmp=$(mktemp -d)
  OUT=$tmp ROWS="$2" bash scripts/device/native.sh
  for row in $2; do
    case $row in
      dawn | wgpu) keep "$tmp/native-$row.json" "$1" "native-$row" ;;
      cuda) keep "$tmp/cuda.json" "$1" cuda ;;
      rust) keep "$tmp/rust-wgpu.json" "$1" rust-wgpu ;;
    esac
  done
}

js_rows() { # round, hosts (node deno)
  local tmp
  tmp=$(mktemp -d)
  OUT=$tmp JS_HOSTS="$2" bash scripts/device/js.sh
  for host in $2; do keep "$tmp/$host-js.json" "$1" "$host-js"; done
}

browser_rows() { # round, rows (js wasm rust-wasm webgl2)
  local tmp
  tmp=$(mktemp -d)
  OUT=$tmp ROWS="$2" ROW_TIMEOUT=${ROW_TIMEOUT:-480} JOB_TIMEOUT=${JOB_TIMEOUT:-150} bash scripts/device/browser.sh
  # Sessions C and D each probe their own machine: the step names the file.
  [ -f "$tmp/chromium-probe.json" ] && mv "$tmp/chromium-probe.json" "$OUT/chromium-probe-$step.json"
  for row in $2; do
    case $row in
      js) keep "$tmp/browser-js.json" "$1" browser-js ;;
      wasm) keep "$tmp/browser-wasm.json" "$1" browser-wasm ;;
      rust-wasm) keep "$tmp/browser-rust-wasm.json" "$1" browser-rust-wasm ;;
      webgl2) keep "$tmp/webgl2.json" "$1" webgl2 ;;
    esac
  done
}

# The pieces of C1/C2/D1/D2 only wait in /tmp (unpack.sh keeps them there).
wait_for_pieces() {
  source scripts/device/gpu_env.sh
  bash scripts/device/unpack.sh || [ $? -eq 3 ]
}

# A session's CUDA anchor: a few cases of every class, to compare its machine with session A's.
cuda_anchor() { # session letter
  source scripts/device/gpu_env.sh
  build_cuda || return
  timeout 120 bench/cuda/build/bench_cuda --suite bench/suite.json --size large \
    --filter '^(copy|triad|sgemm_tiled|dispatch/[a-z_]+)$' --json "$OUT/anchor-$1-cuda.json" | tail -3
}

# The GPU's clocks, power, temperature and clock-event reasons every 50 ms while a step runs
# ($OUT/clocks-STEP.csv), beside the rows' time-stamped progress lines: what a case's slow
# samples coincided with (scripts/device/clock_windows.py lays them side by side).
CLOCK_FIELDS=timestamp,clocks.sm,clocks.mem,power.draw,temperature.gpu
start_clock_log() { # step
  command -v nvidia-smi >/dev/null || return 0
  local fields
  for fields in "$CLOCK_FIELDS,clocks_event_reasons.active" "$CLOCK_FIELDS"; do
    nvidia-smi --query-gpu="$fields" --format=csv,nounits -lms 50 >"$OUT/clocks-$1.csv" 2>&1 &
    CLOCK_LOG=$!
    sleep 0.3
    kill -0 "$CLOCK_LOG" 2>/dev/null && return 0
  done
  CLOCK_LOG=
}

run_step() {
  case $1 in
    A1) native_rows 1 "cuda dawn wgpu rust" ;;
    A2) native_rows 2 "rust cuda wgpu dawn" ;;
    B1) cuda_anchor B && js_rows 1 "node deno" ;;
    B2) js_rows 2 "deno node" ;;
    C1 | C2 | D1 | D2) wait_for_pieces ;;
    C3) cuda_anchor C && browser_rows 1 js ;;
    C4) browser_rows 1 wasm ;;
    C5) browser_rows 2 wasm ;;
    C6) browser_rows 2 js ;;
    D3) cuda_anchor D && browser_rows 1 rust-wasm ;;
    D4) browser_rows 1 webgl2 ;;
    D5) browser_rows 2 "webgl2 rust-wasm" ;;
  esac
}

case "${1:-}" in
  list) list ;;
  report)
    dir=${2:?usage: campaign.sh report DIR}
    ls "$dir"/r[0-9]*-*.json >/dev/null 2>&1 || { echo "campaign.sh: no rN-METHOD.json in $dir" >&2; exit 2; }
    inputs=("$dir"/r[0-9]*-*.json --suite bench/suite.json --limits results/h200/notes/limits.json)
    for ext in html md json; do
      build/wgslrun report "${inputs[@]}" -o "$dir/report.$ext" || exit
      build/wgslrun report "${inputs[@]}" --baseline native-c --title "Every method against native C (wgslrun), one H200" \
        -o "$dir/report-vs-native.$ext" || exit
    done ;;
  carry) field "${2:-}" 1 || { echo "campaign.sh: no step '${2:-}' (campaign.sh list)" >&2; exit 2; } ;;
  step)
    step=${2:-}
    field "$step" 3 >/dev/null || { echo "campaign.sh: no step '$step' (campaign.sh list)" >&2; exit 2; }
    OUT=${OUT:-/tmp/out}
    mkdir -p "$OUT"
    # The native steps run before the bundle is complete (their builds were carried apart).
    export BUNDLE_OPTIONAL=1 OUT
    echo "== campaign step $step: $(field "$step" 3) (about $(field "$step" 2) min)"
    CLOCK_LOG=
    case $step in C1 | C2 | D1 | D2) ;; *) start_clock_log "$step" ;; esac
    run_step "$step" 2>&1 | tee "$OUT/campaign-$step.log"
    [ -n "$CLOCK_LOG" ] && kill "$CLOCK_LOG" 2>/dev/null
    next=$(for s in "${STEPS[@]}"; do echo "${s%%|*}"; done | grep -A1 -x "$step" | tail -n +2)
    [ -n "$next" ] && echo "== next: campaign.sh step $next, carrying: $(field "$next" 1)" ;;
  *)
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 2 ;;
esac
