#!/usr/bin/env bash
# The whole results set on one H200 from a clean clone: every method, two rounds each, in the
# device tool's limits (a command <= 10 min, <= 64 MiB carried per command, <= 30 min of device
# time per session, the machine warm only 30 s between commands: issue the next step at once).
#
# On the development machine, once:
#   make build && (cd bench/rust && cargo build --release --locked)
#   bash bench/rust-wasm/setup.sh && bash bench/rust-wasm/build.sh   # NATIVE_APART packs it only if built
#   NATIVE_APART=1 bash scripts/device/stage.sh     # .gl/ and .carry/bundle.00..02 (58 MiB each);
#                                                   # session A needs only .gl/ (stage.sh's first step)
#   bash scripts/device/campaign.sh list            # the steps, their carry lists and times
# Then, for each step in order, one device command from the repository root:
#   command: bash scripts/device/campaign.sh step A1      carry: what `campaign.sh carry A1` prints
# (If stage.sh made two pieces, not three, the last one completes the bundle a step earlier and
# the bundle.02 carry is simply absent.) Each step writes rN-METHOD.json (N = its round),
# campaign-STEP.log (the native rows' lines time-stamped) and clocks-STEP.csv (nvidia-smi every
# 50 ms) to $OUT; put them in one folder and make the report (rounds are told apart by the rN-
# file names):
#   wgslrun report DIR/r*.json --suite bench/suite.json -o DIR/report.html   (and .md)
#
# Sessions (a fresh machine each; the steps of one session must follow each other within 30 s):
#   A  native C on Dawn and wgpu-native, CUDA, Rust + wgpu: rounds 1 and 2 (no bundle needed)
#   B  Node, Deno and JS in Chromium: rounds 1 and 2, interleaved
#   C  C -> wasm, Rust -> wasm and WebGL2 in Chromium: rounds 1 and 2, interleaved
# Round 2 runs a session's methods in the reverse order of round 1, so no method always runs
# first on a cold or last on a hot GPU. Every row opens a device per case (native, Rust, JS)
# or runs job by job (wasm, WebGL2); the native and CUDA rows first load the GPU until its
# timings settle (suite.json settle_seconds). Sessions B and C begin with a CUDA anchor (copy,
# triad, sgemm_tiled, dispatch: anchor-B-cuda.json, anchor-C-cuda.json) that shows how far
# their machine is from session A's; the report divides every row by session A's CUDA.
#
# Estimated minutes per step: the results/h200/logs/*.log times of the same rows (fixed 5 + 10
# samples: dawn 0.8, wgpu 1.0, CUDA build 0.6 and run 0.6, Rust 1.0, Node 2.6, Deno 2.2 without
# round trips, Chromium JS 3.5, Rust -> wasm 2.1, WebGL2 3.5, probe 0.4) plus the adaptive rule's
# worst case (about 12 noisy cases per row running into the 2 s cap: +0.4 min a row), the
# warm-up load (up to 10 s) and Deno's 200 round trips (+0.5). C -> wasm (5.0) was measured in
# pieces; its round trips got 6x faster since. Machine start is not included (a minute or two).
set -uo pipefail
cd "$(dirname "$0")/../.."

NATIVE="build/wgslrun deps/dawn deps/wgpu bench/rust/target/release/wgslrun-bench-rust .gl"
piece() { echo ".carry/bundle.0$1 .carry/SHA256SUMS"; }

# step | carry | minutes | what it runs
STEPS=(
  "A1|$NATIVE|5.8|round 1: CUDA (built here), native C on Dawn and wgpu-native, Rust + wgpu"
  "A2||5.2|round 2: Rust + wgpu, CUDA, native C on wgpu-native and Dawn"
  "B1|$(piece 0) .gl|0.2|nothing to run yet: the first piece waits in /tmp"
  "B2|$(piece 1)|0.2|the second piece"
  "B3|$(piece 2)|6.9|the CUDA anchor; round 1: Node and Deno (the bundle is complete: unpacked here)"
  "B4||4.3|Chromium probe, round 1: JS in Chromium"
  "B5||3.9|round 2: JS in Chromium"
  "B6||6.1|round 2: Deno and Node"
  "C1|$(piece 0) .gl|0.2|the first piece"
  "C2|$(piece 1)|0.2|the second piece"
  "C3|$(piece 2)|6.6|the CUDA anchor, Chromium probe; round 1: C -> wasm in Chromium"
  "C4||6.4|round 1: Rust -> wasm in Chromium and WebGL2"
  "C5||6.4|round 2: WebGL2 and Rust -> wasm in Chromium"
  "C6||5.4|round 2: C -> wasm in Chromium"
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
  for session in A B C; do
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
  [ -f "$tmp/chromium-probe.json" ] && mv "$tmp/chromium-probe.json" "$OUT/"
  for row in $2; do
    case $row in
      js) keep "$tmp/browser-js.json" "$1" browser-js ;;
      wasm) keep "$tmp/browser-wasm.json" "$1" browser-wasm ;;
      rust-wasm) keep "$tmp/browser-rust-wasm.json" "$1" browser-rust-wasm ;;
      webgl2) keep "$tmp/webgl2.json" "$1" webgl2 ;;
    esac
  done
}

# The pieces of B1/B2/C1/C2 only wait in /tmp (unpack.sh keeps them there).
wait_for_pieces() {
  for deb in .gl/*.deb; do dpkg -x "$deb" /; done
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
    B1 | B2 | C1 | C2) wait_for_pieces ;;
    B3) cuda_anchor B && js_rows 1 "node deno" ;;
    B4) browser_rows 1 js ;;
    B5) browser_rows 2 js ;;
    B6) js_rows 2 "deno node" ;;
    C3) cuda_anchor C && browser_rows 1 wasm ;;
    C4) browser_rows 1 "rust-wasm webgl2" ;;
    C5) browser_rows 2 "webgl2 rust-wasm" ;;
    C6) browser_rows 2 wasm ;;
  esac
}

case "${1:-}" in
  list) list ;;
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
    case $step in B1 | B2 | C1 | C2) ;; *) start_clock_log "$step" ;; esac
    run_step "$step" 2>&1 | tee "$OUT/campaign-$step.log"
    [ -n "$CLOCK_LOG" ] && kill "$CLOCK_LOG" 2>/dev/null
    next=$(for s in "${STEPS[@]}"; do echo "${s%%|*}"; done | grep -A1 -x "$step" | tail -n +2)
    [ -n "$next" ] && echo "== next: campaign.sh step $next, carrying: $(field "$next" 1)" ;;
  *)
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 2 ;;
esac
