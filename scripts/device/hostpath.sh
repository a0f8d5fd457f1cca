#!/usr/bin/env bash
# Issue 12 on one H200: the host path (transfers, dispatch overhead, end to end) of wgslrun on
# Dawn and wgpu-native beside bench_cuda and the bare webgpu.h floor, in one command, two
# interleaved rounds. Runtime: about 3.5 minutes (CUDA build ~30 s, each round ~90 s, the
# option comparisons ~40 s). Run from the repository root on the GPU machine, carrying
# build/wgslrun and build/wgslrun_floor (and deps/, .gl/):
#   for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
#   export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
#          VK_ICD_FILENAMES=$VK_DRIVER_FILES WGSLRUN_DEPS=$PWD/deps
#   OUT=... bash scripts/device/hostpath.sh
# Writes to $OUT: hostpath.tar.gz (every JSON and log: r{1,2}-{dawn,wgpu,cuda}.json, the
# option runs opt-*.json, floor-r*.jsonl, *.log with the transfer-stats split), and
# summary.txt (the table, also printed last).
set -uo pipefail
OUT="${OUT:?set OUT to the output directory}"
W="$(mktemp -d)"
BIN=build/wgslrun
FLOOR=build/wgslrun_floor
FILTER='^(transfer|dispatch|e2e_saxpy)'
SIZE="${SIZE:-large}"        # SIZE=small FLOOR_N=200: a smoke test on SwiftShader
FLOOR_N="${FLOOR_N:-10000}"

bash bench/cuda/build.sh >"$W/cuda_build.log" 2>&1 || tail -20 "$W/cuda_build.log"
export WGSLRUN_TRANSFER_STATS=1

wgslrun_row() { # name impl [options...]
  local name=$1 impl=$2; shift 2
  timeout 200 "$BIN" bench --impl "$impl" --size "$SIZE" --suite bench/suite.json --json "$W/$name.json" "$@" \
    >"$W/$name.table" 2>"$W/$name.log" || echo "$name: exit $?" | tee -a "$W/errors.log"
}
cuda_row() {
  timeout 200 bench/cuda/build/bench_cuda --suite bench/suite.json --size "$SIZE" --filter "$FILTER" \
    --json "$W/$1.json" >"$W/$1.log" 2>&1 || echo "$1: exit $?" | tee -a "$W/errors.log"
}
floor_rows() {
  for impl in dawn wgpu; do timeout 60 "$FLOOR" "$impl" "$FLOOR_N" 2>>"$W/floor.log"; done >"$W/floor-$1.jsonl"
}

for round in r1 r2; do
  if [ "$round" = r1 ]; then order="cuda wgpu dawn floor"; else order="floor dawn wgpu cuda"; fi
  for row in $order; do
    case $row in
      cuda) cuda_row "$round-cuda" ;;
      floor) floor_rows "$round" ;;
      *) wgslrun_row "$round-$row" "$row" --filter "$FILTER" ;;
    esac
  done
done
# One run of each option against the defaults above: wait modes on the round trip and one
# submit per dispatch, one copy thread and other staging chunks on the ordinary-memory copies.
for mode in block spin sleep; do
  wgslrun_row "opt-wgpu-wait-$mode" wgpu --filter 'dispatch/(round_trip|submit_each)' --wait "$mode"
done
wgslrun_row opt-dawn-wait-spin dawn --filter 'dispatch/(round_trip|submit_each)' --wait spin
wgslrun_row opt-wgpu-threads1 wgpu --filter '^transfer/(upload|readback)$' --copy-threads 1
wgslrun_row opt-wgpu-staging8 wgpu --filter '^transfer/(upload|readback)$' --staging-mb 8
wgslrun_row opt-dawn-staging128 dawn --filter '^transfer/(upload|readback)$' --staging-mb 128

python3 - "$W" >"$W/summary.txt" <<'PY'
import glob, json, os, sys
w = sys.argv[1]
def rows(path):
    try: doc = json.load(open(path))
    except Exception: return {}
    out = {}
    for r in doc.get("results", []):
        key = r.get("case", "") + ("/" + r["variant"] if r.get("variant") else "")
        params = r.get("params") or {}
        if "bytes" in params: key += " %dMiB" % (params["bytes"] // 2**20)
        m = r.get("metric") or {}
        v = m.get("value") if isinstance(m, dict) else r.get("metric_value")
        out[key] = v
    return out
cols = sorted(os.path.basename(p)[:-5] for p in glob.glob(w + "/*.json"))
data = {c: rows(f"{w}/{c}.json") for c in cols}
keys = sorted({k for d in data.values() for k in d})
width = {c: max(9, len(c)) + 1 for c in cols}
print("%-32s" % "case" + "".join("%*s" % (width[c], c) for c in cols))
for k in keys:
    print("%-32s" % k[:32] + "".join("%*s" % (width[c], "%.4g" % data[c][k] if data[c].get(k) is not None else "-") for c in cols))
for f in sorted(glob.glob(w + "/floor-*.jsonl")):
    for line in open(f):
        try: d = json.loads(line); print("%s %-5s %-18s %8.2f us" % (os.path.basename(f)[6:8], d["impl"], d["floor"], d["us_per_iteration"]))
        except Exception: pass
PY
tar -C "$W" -czf "$OUT/hostpath.tar.gz" .
cp "$W/summary.txt" "$OUT/summary.txt"
cat "$OUT/summary.txt"
