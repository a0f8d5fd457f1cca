#!/usr/bin/env bash
# The native rows on the GPU machine, large suite: wgslrun on Dawn and wgpu-native, CUDA (built
# there with nvcc), and with ROWS naming them, Rust + wgpu and the issue-2 copy check
# (`wgslrun run` of a 256 MB copy kernel against the CUDA copy kernel, same command).
#   ROWS="dawn wgpu cuda rust copy" bash scripts/device/native.sh
set -uo pipefail
source scripts/device/common.sh
ROWS=${ROWS:-dawn wgpu cuda}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv
if [[ " $ROWS " == *" cuda "* || " $ROWS " == *" copy "* ]]; then
  # Built once per machine (a later command of the session finds it).
  if [ ! -x bench/cuda/build/bench_cuda ]; then
    log "build CUDA reference"
    bash bench/cuda/build.sh >/tmp/cuda_build.log 2>&1 || tail -20 /tmp/cuda_build.log
  fi
fi
quiet() { grep -v XDG_RUNTIME | grep -v '^\['; }
for row in $ROWS; do
  log "row $row"
  case $row in
    dawn | wgpu) timeout 300 build/wgslrun bench --impl "$row" --size large --json "$OUT/native-$row.json" 2>&1 | quiet ;;
    cuda) timeout 300 bench/cuda/build/bench_cuda --suite bench/suite.json --size large --json "$OUT/cuda.json" | tail -3 ;;
    rust) timeout 300 bench/rust/target/release/wgslrun-bench-rust --suite bench/suite.json --size large \
            --json "$OUT/rust-wgpu.json" 2>&1 | quiet ;;
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
