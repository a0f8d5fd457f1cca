#!/usr/bin/env bash
# Issue 11 on the H200: the stencil's two sample states against the GPU's clocks. Runs the
# suite's stencil case (wgslrun bench, every sample kept in order in samples_ms) on Dawn and
# wgpu-native while nvidia-smi logs the SM and memory clocks every 20 ms, then prints which
# samples were slow (over 1.5x the fastest), where in the order they fell, and the clocks
# logged during each run. From the repository root, carrying build/wgslrun, deps/dawn,
# deps/wgpu and .gl/ (about 1 minute):
#   bash scripts/device/stencil_clocks.sh
# KERNELS_SMOKE=1 runs it on SwiftShader at the small size, without clocks. Writes
# $OUT/stencil_clocks.tar.gz (results, clock log) and $OUT/stencil_clocks.txt (the summary).
set -uo pipefail
source scripts/device/kernels_env.sh
work=$(mktemp -d /tmp/stencil-clocks.XXXXXX)
logger=
if [[ -z $SMOKE ]]; then
  nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,power.draw --format=csv,noheader -lms 20 \
    > "$work/clocks.csv" 2>/dev/null &
  logger=$!
fi
for impl in dawn wgpu; do
  echo "$impl start $(date -u +%Y/%m/%d\ %H:%M:%S.%N)" >> "$work/windows.txt"
  timeout 300 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter '^stencil$' \
    --json "$work/stencil-$impl.json" 2>&1 | quiet
  echo "$impl end $(date -u +%Y/%m/%d\ %H:%M:%S.%N)" >> "$work/windows.txt"
done
[[ -n $logger ]] && kill "$logger" 2>/dev/null
python3 - "$work" <<'PY' | tee "$OUT/stencil_clocks.txt"
import csv, datetime, json, os, statistics, sys
work = sys.argv[1]
def when(text):
    day, clock = text.strip().split(" ")
    return datetime.datetime.strptime(day + " " + clock[:15], "%Y/%m/%d %H:%M:%S.%f")
windows = {}
for line in open(os.path.join(work, "windows.txt")):
    impl, edge, stamp = line.split(" ", 2)
    windows.setdefault(impl, {})[edge] = when(stamp)
clocks = []
path = os.path.join(work, "clocks.csv")
if os.path.exists(path):
    for row in csv.reader(open(path)):
        try:
            clocks.append((when(row[0]), float(row[1].split()[0]), float(row[2].split()[0])))
        except (IndexError, ValueError):
            pass
for impl in ("dawn", "wgpu"):
    (result,) = json.load(open(os.path.join(work, f"stencil-{impl}.json")))["results"]
    samples = result.get("samples_ms") or []
    if not samples:
        print(f"{impl}: no samples ({result.get('error')})")
        continue
    slow = [i for i, t in enumerate(samples) if t > 1.5 * min(samples)]
    print(f"{impl}: {len(samples)} samples, fastest {min(samples):.3f} ms, slowest {max(samples):.3f} ms, "
          f"{len(slow)} slow (> 1.5x fastest) at positions {slow[:40]}{' ...' if len(slow) > 40 else ''}")
    run = [c for c in clocks if windows[impl]["start"] <= c[0] <= windows[impl]["end"]]
    if run:
        sm = [c[1] for c in run]
        print(f"  SM clock during the run: min {min(sm):.0f}, median {statistics.median(sm):.0f}, max {max(sm):.0f} MHz "
              f"({len(run)} readings); readings under 1500 MHz: {sum(1 for s in sm if s < 1500)}")
PY
tar -czf "$OUT/stencil_clocks.tar.gz" -C "$work" .
