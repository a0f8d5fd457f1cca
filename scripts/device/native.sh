#!/usr/bin/env bash
# The native rows on the GPU machine, large suite: wgslrun on Dawn and wgpu-native, CUDA (built
# there with nvcc), and with ROWS naming them, Rust + wgpu and the issue-2 copy check
# (`wgslrun run` of a 256 MB copy kernel against the CUDA copy kernel, same command).
#   ROWS="dawn wgpu cuda rust copy" bash scripts/device/native.sh
# FILTER (a regular expression, as every runner's --filter) runs only the cases it matches.
set -uo pipefail
source scripts/device/common.sh
ROWS=${ROWS:-dawn wgpu cuda}
filter=()
[ -n "${FILTER:-}" ] && filter=(--filter "$FILTER")
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv
if [[ " $ROWS " == *" cuda "* || " $ROWS " == *" copy "* ]]; then
  build_cuda
fi
# Every line of a row's output (a progress line ends with its case) with the time it came, so
# a case's samples can be laid beside the clock log campaign.sh keeps (clocks-STEP.csv).
stamped() { grep --line-buffered -v XDG_RUNTIME | while IFS= read -r line; do echo "$(date -u +%H:%M:%S.%3N) $line"; done; }
for row in $ROWS; do
  log "row $row"
  case $row in
    dawn | wgpu) timeout 300 build/wgslrun bench --impl "$row" --size large "${filter[@]}" --json "$OUT/native-$row.json" 2>&1 | stamped ;;
    cuda) timeout 300 bench/cuda/build/bench_cuda --suite bench/suite.json --size large "${filter[@]}" --json "$OUT/cuda.json" 2>&1 | stamped ;;
    rust) timeout 300 bench/rust/target/release/wgslrun-bench-rust --suite bench/suite.json --size large \
            "${filter[@]}" --json "$OUT/rust-wgpu.json" 2>&1 | stamped ;;
    copy)
      n=16777216
      for impl in dawn wgpu; do
        build/wgslrun run examples/copy.wgsl --impl "$impl" --bind "src=random:f32:$((n * 4))" \
          --bind "dst=zeros:f32:$((n * 4))" --size "$n" --repeat 30 --warmup 5 --json >"$OUT/copy-$impl.json"
      done
      timeout 120 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --filter '^copy$' \
        --json "$OUT/copy-cuda.json" >/dev/null ;;
    *) echo "native.sh: unknown row $row (dawn, wgpu, cuda, rust, copy)"; exit 2 ;;
  esac
done
log done
