#!/usr/bin/env bash
# The whole results set on one H200 from a clean clone: every method, two rounds each, in the
# device tool's limits (a command <= 10 min, <= 64 MiB carried per command, <= 30 min of device
# time per session, the machine warm only 30 s between commands: issue the next step at once).
#
# On the development machine, once:
#   make build && (cd bench/rust && cargo build --release --locked)
#   bash bench/rust-wasm/setup.sh && bash bench/rust-wasm/build.sh   # NATIVE_APART packs it only if built
#   NATIVE_APART=1 bash scripts/device/stage.sh     # .gl/ and .carry/bundle.00..02 (58 MiB each)
#   bash scripts/device/campaign.sh list            # the steps, their carry lists and times
# Then, for each step in order, one device command from the repository root:
#   command: bash scripts/device/campaign.sh step A1      carry: what `campaign.sh carry A1` prints
# (If stage.sh made two pieces, not three, the last one completes the bundle a step earlier and
# the bundle.02 carry is simply absent.) Each step writes rN-METHOD.json (N = its round) and campaign-STEP.log to $OUT; put them in
# one folder and make the report (rounds are told apart by the rN- file names):
#   wgslrun report DIR/r*.json --suite bench/suite.json -o DIR/report.html   (and .md)
#
# Sessions (a fresh machine each; the steps of one session must follow each other within 30 s):
#   A  native C on Dawn and wgpu-native, CUDA, Rust + wgpu, Node, Deno: rounds 1 and 2
#   B  JS in Chromium and C -> wasm in Chromium: rounds 1 and 2, interleaved
#   C  Rust -> wasm in Chromium and WebGL2: rounds 1 and 2, interleaved
# Rounds of a method run on one machine, with other methods' runs between them. Every row
# opens a device per case (native, Rust, JS) or runs job by job (wasm, WebGL2); the native and
# CUDA rows first load the GPU until its timings settle (suite.json settle_seconds).
#
# Estimated minutes per step: the results/h200/logs/*.log times of the same rows (fixed 5 + 10
# samples: dawn 0.8, wgpu 1.0, CUDA build 0.6 and run 0.6, Rust 1.0, Node 2.6, Deno 2.2 without
# round trips, Chromium JS 3.5, Rust -> wasm 2.1, WebGL2 3.5, probe 0.4) plus the adaptive rule's
# worst case (about 12 noisy cases per row running into the 2 s cap: +0.4 min a row), the
# warm-up load (up to 10 s) and Deno's 200 round trips (+0.5). C -> wasm (5.0) was measured in
# pieces; its round trips got 6x faster since. Machine start is not included (minutes).
set -uo pipefail
cd "$(dirname "$0")/../.."

NATIVE="build/wgslrun deps/dawn deps/wgpu bench/rust/target/release/wgslrun-bench-rust .gl .carry/SHA256SUMS"
piece() { echo ".carry/bundle.0$1 .carry/SHA256SUMS"; }

# step | carry | minutes | what it runs
STEPS=(
  "A1|$NATIVE|2.6|round 1: native C on Dawn and wgpu-native"
  "A2|$(piece 0)|2.9|round 1: CUDA (built here) and Rust + wgpu"
  "A3|$(piece 1)|2.6|round 2: native C on Dawn and wgpu-native"
  "A4|$(piece 2)|6.9|round 1: Node and Deno (the bundle is complete: unpacked here)"
  "A5||2.9|round 2: CUDA and Rust + wgpu"
  "A6||6.4|round 2: Node and Deno"
  "B1|$(piece 0) .gl|0.2|nothing to run yet: the first piece waits in /tmp"
  "B2|$(piece 1)|0.2|the second piece"
  "B3|$(piece 2)|4.6|Chromium probe, round 1: JS in Chromium"
  "B4||5.0|round 1: C -> wasm in Chromium"
  "B5||4.2|round 2: JS in Chromium"
  "B6||5.0|round 2: C -> wasm in Chromium"
  "C1|$(piece 0) .gl|0.2|the first piece"
  "C2|$(piece 1)|0.2|the second piece"
  "C3|$(piece 2)|3.2|Chromium probe, round 1: Rust -> wasm in Chromium"
  "C4||4.0|round 1: WebGL2"
  "C5||2.8|round 2: Rust -> wasm in Chromium"
  "C6||4.0|round 2: WebGL2"
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

run_step() {
  case $1 in
    A1) native_rows 1 "dawn wgpu" ;;
    A2) native_rows 1 "cuda rust" ;;
    A3) native_rows 2 "dawn wgpu" ;;
    A4) js_rows 1 "node deno" ;;
    A5) native_rows 2 "cuda rust" ;;
    A6) js_rows 2 "node deno" ;;
    B1 | B2 | C1 | C2) wait_for_pieces ;;
    B3) browser_rows 1 js ;;
    B4) browser_rows 1 wasm ;;
    B5) browser_rows 2 js ;;
    B6) browser_rows 2 wasm ;;
    C3) browser_rows 1 rust-wasm ;;
    C4) browser_rows 1 webgl2 ;;
    C5) browser_rows 2 rust-wasm ;;
    C6) browser_rows 2 webgl2 ;;
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
    run_step "$step" 2>&1 | tee "$OUT/campaign-$step.log"
    next=$(for s in "${STEPS[@]}"; do echo "${s%%|*}"; done | grep -A1 -x "$step" | tail -n +2)
    [ -n "$next" ] && echo "== next: campaign.sh step $next, carrying: $(field "$next" 1)" ;;
  *)
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 2 ;;
esac
