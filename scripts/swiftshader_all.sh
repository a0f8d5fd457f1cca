#!/usr/bin/env bash
# Every method side by side on one machine without a GPU: the small suite on SwiftShader (Vulkan
# on the CPU), so each web row has a native row on the same adapter to compare with. Writes
# results/swiftshader/*.json and the report. Run after `make build` (and, for the Rust-to-wasm
# row, bench/rust-wasm/setup.sh and build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
out=results/swiftshader
mkdir -p "$out"
build/wgslrun bench --impl all --size small --json "$out/native.json"
(cd bench/rust && cargo run --quiet --release --locked -- --size small --json "../../$out/rust-wgpu.json")
node bench/web/run.mjs --host all --size small --json "$out/web.json"
node bench/wasm/run.mjs --size small --json "$out/browser-wasm.json"
if [ -f bench/rust-wasm/build/pkg/wgslrun_bench_rust_wasm.mjs ]; then
  node bench/rust-wasm/run.mjs --size small --json "$out/browser-rust-wasm.json"
fi
if [ -f bench/webgl2/run.mjs ]; then
  node bench/webgl2/run.mjs --size small --json "$out/webgl2.json"
fi
for format in html md; do
  build/wgslrun report "$out"/*.json --suite bench/suite.json --baseline native-c \
    --title "Every method on SwiftShader (CPU), small suite" -o "$out/report.$format"
done
