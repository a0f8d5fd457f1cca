#!/usr/bin/env bash
# Issue 11 on the H200: the changed kernels (scan, reduce, nbody, mandelbrot; stencil unchanged)
# against the previous ones (bench/experiments/*_v1.wgsl, through a baseline suite made here),
# scan's no-tile design (bench/experiments/scan_blocks_direct.wgsl) and CUDA, in one command:
# two interleaved rounds of wgslrun bench --size large on Dawn and on wgpu-native and bench_cuda,
# then scripts/device/kernels_probe.sh. Rows: new = this branch (a device per case, the new
# default), shared = the same with --context shared (one device for all cases, as before: later
# large buffers may land in the H200's slow placement), v1 = the previous kernels (a device per
# case), direct = scan without the tile.
# Runs from the repo root; ~4 min for the rounds (plus ~1.5 min for a first CUDA build), ~2
# min for the probe (PROBE=0 leaves it out, to run it as its own command). Writes
# $OUT/kernels_sweep.tar.gz (every result JSON) and $OUT/kernels_sweep.txt (the table printed at
# the end); the probe adds kernels_probe.{jsonl,txt} and kernels_probe_cuda.json.
set -uo pipefail
source scripts/device/kernels_env.sh
cases='^(scan|stencil|mandelbrot|nbody|reduce)$'
work=$(mktemp -d /tmp/kernels-sweep.XXXXXX)
# The baseline suite: suite.json's cases with the kernels this branch replaced; the direct
# suite: scan with bench/experiments/scan_blocks_direct.wgsl in place of scan_blocks.
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
suite = json.load(open("bench/suite.json"))
old = {"scan": "scan_v1.wgsl", "reduce": "reduce_two_barriers.wgsl", "nbody": "nbody_v1.wgsl",
       "mandelbrot": "mandelbrot_v1.wgsl"}
json.dump(dict(suite, cases=[dict(c, kernel=os.path.abspath("bench/experiments/" + old[c["id"]]))
                             for c in suite["cases"] if c["id"] in old]),
          open(work + "/baseline_suite.json", "w"), indent=1)
kernel = open("bench/kernels/scan.wgsl").read()
start = kernel.index("@compute @workgroup_size(WORKGROUP_SIZE)\nfn scan_blocks")
fragment = open("bench/experiments/scan_blocks_direct.wgsl").read()
open(work + "/scan_direct.wgsl", "w").write(kernel[:start] + fragment)
json.dump(dict(suite, cases=[dict(c, kernel=work + "/scan_direct.wgsl")
                             for c in suite["cases"] if c["id"] == "scan"]),
          open(work + "/direct_suite.json", "w"), indent=1)
PY
[[ -n $SMOKE ]] || nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv
cuda_build
for round in 1 2; do
  for impl in dawn wgpu; do
    log "round $round $impl new   $(clocks)"
    timeout 150 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter "$cases" \
      --json "$work/new-$impl-$round.json" 2>&1 | quiet
    log "round $round $impl shared $(clocks)"
    timeout 150 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter "$cases" --context shared \
      --json "$work/shared-$impl-$round.json" 2>&1 | quiet
    log "round $round $impl v1    $(clocks)"
    timeout 150 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter "$cases" \
      --suite "$work/baseline_suite.json" --json "$work/v1-$impl-$round.json" 2>&1 | quiet
    log "round $round $impl direct $(clocks)"
    timeout 100 build/wgslrun bench --impl "$impl" --size "$SIZE" --filter '^scan$' \
      --suite "$work/direct_suite.json" --json "$work/direct-$impl-$round.json" 2>&1 | quiet
  done
  log "round $round cuda  $(clocks)"
  cuda_bench "$cases" "$work/cuda-$round.json"
done
python3 - "$work" <<'PY' | tee "$OUT/kernels_sweep.txt"
import glob, json, os, sys
rows = {}
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    name = os.path.basename(path)[:-5]
    if name.endswith("_suite"): continue
    label, rnd = name.rsplit("-", 1)
    for r in json.load(open(path))["results"]:
        t = r.get("time_ms") or {}
        v = r["metric"]["value"]
        cell = "FAILED" if not r.get("verified") else "%.4g (%.3g..%.3g ms)" % (v, t["min"], t["max"])
        rows.setdefault(r["case"], {}).setdefault(label, {})[rnd] = (v if r.get("verified") else None, cell)
print("case        row        round 1                       round 2                       ratio to cuda (best round)")
for case, by in sorted(rows.items()):
    cuda = max((v for v, _ in by.get("cuda", {}).values() if v), default=None)
    for label in sorted(by):
        vals = [v for v, _ in by[label].values() if v]
        ratio = "%.2f" % (max(vals) / cuda) if vals and cuda else "-"
        cells = [by[label].get(k, (None, "-"))[1] for k in ("1", "2")]
        print("%-11s %-10s %-29s %-29s %s" % (case, label, cells[0], cells[1], ratio))
PY
tar -czf "$OUT/kernels_sweep.tar.gz" -C "$work" .
rm -rf "$work"
[[ ${PROBE:-1} == 0 ]] || bash scripts/device/kernels_probe.sh
log done
