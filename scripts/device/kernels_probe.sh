#!/usr/bin/env bash
# Why 20 dependent stencil sweeps in one submission run slow and bimodal on WebGPU while one
# sweep runs at 0.97 of CUDA (issue 11). build/stencil_probe (bench/experiments/stencil_probe.c)
# on the suite's 8192 x 8192 grid, on Dawn and wgpu-native, each configuration verified first,
# every sample's GPU and wall time kept in order; then CUDA's suite case in the same command.
#   suite      one pass per sweep, as wgslrun bench (run first and again last: order effects)
#   one_pass   all 20 sweeps in one compute pass (barriers the implementation inserts)
#   fresh      a new context per sample (first-allocation placement every time)
#   spacer256  a 256 MiB buffer allocated before the grids; spacer2: 2 MiB
#   late       a 1536 MiB spacer: about what the suite's earlier cases allocate before stencil,
#              i.e. the stencil as it ran on one device shared by every case (--context shared)
#   dst_first  grid b allocated before grid a
#   copy       a copy kernel on the same two grids, same dispatch (placement, not the stencil)
#   single     one sweep per sample (the 0.97-of-CUDA case)
# Runs from the repo root (run by kernels_sweep.sh or alone), ~2 min. Writes
# $OUT/kernels_probe.jsonl (one object per configuration) and $OUT/kernels_probe.txt (the table).
set -uo pipefail
source scripts/device/kernels_env.sh
lines="$OUT/kernels_probe.jsonl"
: >"$lines"
probe() { # impl config args...
  local impl=$1 config=$2
  shift 2
  log "probe $impl $config  $(clocks)"
  timeout 60 build/stencil_probe --impl "$impl" $GRID "$@" 2> >(grep -v XDG_RUNTIME >&2) \
    | python3 -c "import json,sys; [print(json.dumps(dict(json.loads(l), config='$config'))) for l in sys.stdin]" \
    >>"$lines" || echo "probe $impl $config failed"
}
for impl in dawn wgpu; do
  probe "$impl" suite --samples 20
  probe "$impl" one_pass --samples 20 --one-pass
  probe "$impl" fresh --samples 8 --warmup 2 --fresh
  probe "$impl" spacer256 --samples 20 --spacer 256
  probe "$impl" spacer2 --samples 20 --spacer 2
  probe "$impl" late --samples 20 --spacer "$LATE_MIB"
  probe "$impl" dst_first --samples 20 --dst-first
  probe "$impl" copy --samples 20 --copy --kernel bench/experiments/stencil_copy.wgsl
  probe "$impl" single --samples 40 --sweeps 1
  probe "$impl" suite_again --samples 20
done
cuda_build
log "cuda stencil  $(clocks)"
cuda_bench '^stencil$' "$OUT/kernels_probe_cuda.json"
python3 - "$lines" "$OUT/kernels_probe_cuda.json" <<'PY' | tee "$OUT/kernels_probe.txt"
import json, sys
try:
    cuda = json.load(open(sys.argv[2]))["results"][0]["metric"]["value"]
except Exception:
    cuda = None
print("cuda stencil: %s GB/s" % (("%.0f" % cuda) if cuda else "missing"))
print("impl config       median  min..max GB/s   /cuda  per-sample GB/s in order")
for line in open(sys.argv[1]):
    r = json.loads(line)
    per = 8.0 * r["width"] * r["height"] * r["sweeps"] / 1e6
    order = " ".join("%.4g" % (per / g) for g in r["gpu_ms"] if g > 0)
    ratio = "%.2f" % (r["median_gb_s"] / cuda) if cuda else "-"
    print("%-4s %-12s %6.4g  %5.4g..%-5.4g   %5s  %s" % (r["impl"], r["config"], r["median_gb_s"],
          r["min_gb_s"], r["max_gb_s"], ratio, order))
PY
