# Run from the repository root on the H200 at 04:08 UTC on 2026-12-04, commit e6320bf (the
# warm-up-by-time runners), as: export BUNDLE_OPTIONAL=1; bash command.sh
# carrying build/wgslrun deps/dawn deps/wgpu bench/rust/target/release/wgslrun-bench-rust .gl
source scripts/device/gpu_env.sh
build_cuda
nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,power.draw,temperature.gpu,clocks_event_reasons.active --format=csv,nounits -lms 50 > $OUT/clocks-W.csv 2>&1 &
L=$!
for r in 1 2; do
  [ $r = 1 ] && rows="cuda dawn wgpu rust" || rows="rust wgpu dawn cuda"
  mkdir -p $OUT/r$r
  OUT=$OUT/r$r ROWS="$rows" FILTER='^(reduce|scan|stencil)$' bash scripts/device/native.sh 2>&1 | grep -v "^[0-9:. ]*\(reduce\|scan\|stencil\|case\) " | tail -40
done
kill $L
