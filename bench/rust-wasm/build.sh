#!/usr/bin/env bash
# Builds the browser-rust-wasm row: the crate for wasm32-unknown-unknown, then wasm-bindgen's
# ES-module glue, into bench/rust-wasm/build/pkg/ (git-ignored), where host.html loads it.
#
#   bash bench/rust-wasm/build.sh                          # after setup.sh
#   bash bench/rust-wasm/build.sh --wasm-bindgen-version   # print the locked version and exit
#
# CARGO_TARGET_DIR is honoured (share one across checkouts to avoid rebuilding dependencies).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate=wgslrun_bench_rust_wasm

locked_wasm_bindgen() {
  # The version line right after `name = "wasm-bindgen"` in Cargo.lock.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$here/Cargo.lock"
}

if [[ "${1:-}" == "--wasm-bindgen-version" ]]; then
  locked_wasm_bindgen
  exit 0
fi

version="$(locked_wasm_bindgen)"
bindgen=""
for candidate in "${WASM_BINDGEN:-}" "$here/tools/bin/wasm-bindgen" "$(command -v wasm-bindgen || true)"; do
  if [[ -n "$candidate" ]] && "$candidate" --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    bindgen="$candidate"
    break
  fi
done
if [[ -z "$bindgen" ]]; then
  echo "build.sh: no wasm-bindgen $version (the version in Cargo.lock): run bench/rust-wasm/setup.sh" >&2
  exit 1
fi

cd "$here"
cargo build --release --locked --target wasm32-unknown-unknown
target_dir="${CARGO_TARGET_DIR:-$here/target}"
out="$here/build/pkg"
rm -rf "$out"
"$bindgen" --target web --no-typescript --out-dir "$out" \
  "$target_dir/wasm32-unknown-unknown/release/$crate.wasm"
# The pages' server (bench/web/serve.mjs) is one for every row; wasm-bindgen's glue is a module,
# named .mjs like every module the pages load.
mv "$out/$crate.js" "$out/$crate.mjs"
# What built it, for the result file's versions (run.mjs reads this).
printf '%s\n%s\n' "$(rustc --version)" "$("$bindgen" --version)" > "$here/build/toolchain.txt"
echo "built $out/$crate.mjs and $(stat -c %s "$out/${crate}_bg.wasm") bytes of ${crate}_bg.wasm"
