#!/usr/bin/env bash
# One-time setup for the browser-rust-wasm row: the wasm32 standard library (rustup) and the
# wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock (the CLI
# refuses to process a module made by any other version).
#
#   bash bench/rust-wasm/setup.sh
#
# The CLI goes to bench/rust-wasm/tools/bin (git-ignored); WASM_BINDGEN_ROOT picks another
# install root (e.g. ~/.cargo). An existing wasm-bindgen of the right version on PATH is used
# as is by build.sh, and this script then installs nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${WASM_BINDGEN_ROOT:-$here/tools}"

rustup target add wasm32-unknown-unknown

version="$(bash "$here/build.sh" --wasm-bindgen-version)"
have_version() { "$1" --version 2>/dev/null | grep -qx "wasm-bindgen $version"; }

if have_version "$root/bin/wasm-bindgen" || have_version wasm-bindgen; then
  echo "wasm-bindgen $version already installed"
  exit 0
fi

# --locked first, as the CLI's authors resolved it. The crates.io index reachable here lacks
# some of the versions that lock pins (webpki-roots 1.0.11 for 0.2.130), in which case the
# dependencies are resolved afresh; the CLI's own version stays exact either way.
if ! cargo install wasm-bindgen-cli --version "$version" --locked --root "$root"; then
  echo "setup.sh: --locked install failed; resolving the CLI's dependencies afresh" >&2
  cargo install wasm-bindgen-cli --version "$version" --root "$root"
fi
have_version "$root/bin/wasm-bindgen"
echo "installed $root/bin/wasm-bindgen ($version)"
