#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-19, ASan + UBSan), makes their seed corpora from the
# repository's files, replays the committed regression inputs, then fuzzes each harness for a
# bounded time and prints one summary line per harness. Exit status 1 on any crash, leak,
# sanitizer report or failed property; the crashing input is left in build-fuzz/artifacts/.
#   tests/fuzz/run.sh                      every harness, 45 s each (what `make test` runs)
#   tests/fuzz/run.sh --seconds 10 json    one harness, 10 s
#   tests/fuzz/run.sh --runs 10000000 npy  a fixed number of executions instead of a time
# Harnesses: npy wgsl_scan json sources. BUILD_FUZZ (default build-fuzz) is the build folder,
# FUZZ_MAX_LEN (default 16384) the longest input libFuzzer makes.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=45 runs=""
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    npy|wgsl_scan|json|sources) targets+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1' (harnesses: npy wgsl_scan json sources)" >&2; exit 2 ;;
  esac
done
((${#targets[@]})) || targets=(npy wgsl_scan json sources)
build="${BUILD_FUZZ:-build-fuzz}"
cc="${FUZZ_CC:-clang-19}"
if ! command -v "$cc" >/dev/null; then echo "run.sh: $cc not found (scripts/setup.sh installs it)" >&2; exit 1; fi
cmake -S tests/fuzz -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
python3 tests/fuzz/make_seeds.py "$build/seeds" >/dev/null

seed_dir() { case "$1" in wgsl_scan) echo wgsl ;; *) echo "$1" ;; esac; }
summary=()
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t" corpus="$build/corpus/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz_$t.log"
  # The reproducers of crashes found and fixed run first, each once.
  if ! "$bin" -runs=0 tests/fuzz/regressions/"$t" >"$log" 2>&1; then
    summary+=("$t: a committed regression input fails again (see $log)"); status=1; continue
  fi
  limit=(-max_total_time="$seconds")
  [ -n "$runs" ] && limit=(-runs="$runs")
  start=$(date +%s)
  rc=0
  "$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-16384}" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$build/seeds/$(seed_dir "$t")" >>"$log" 2>&1 || rc=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if ((rc == 0)); then
    summary+=("$t: ok, ${execs:-?} executions in ${elapsed} s (${rate:-?}/s), ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l)")
  else
    summary+=("$t: FAILED (exit $rc) after ${elapsed} s: $(grep -m1 -E 'ERROR|fuzz property failed|runtime error' "$log" || echo "see $log"); input in $artifacts/")
    status=1
  fi
done
echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit $status
