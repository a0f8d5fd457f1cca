#!/usr/bin/env bash
# Packs what the GPU machine needs and cannot fetch (it has no network, no Vulkan loader, no
# Node, no browser) into pieces that fit one device command's carry (64 MiB in all):
#   .gl/              Debian's Vulkan loader and GL dispatch libraries (dpkg -x'd into / there)
#   .carry/bundle.NN  the browser rows' xz-compressed tar, split; unpack.sh puts it together
#                     there once every piece has come, one command after another
#   .carry/js-hosts.xz  Node, dawn.node and Deno for the Node and Deno rows, one piece (checksum
#                     in .carry/js-hosts.sha256) that a command carries alone: those rows need
#                     no earlier command of the session
# The tars hold repository-relative paths, all git-ignored. The bundle: the native builds
# (build/wgslrun, the Rust runner, deps/), the WebAssembly builds, playwright-core, and under
# .dev/: Node, Chromium with the libraries it links that the GPU machine's Ubuntu lacks, and
# Xvfb with its keyboard data.
#   bash scripts/device/stage.sh         # on the development machine, after make build
# NATIVE_APART=1 leaves the native builds (build/, deps/dawn, deps/wgpu) out of the bundle, for
# sessions whose native commands carry them as plain paths (campaign.sh); the Rust-to-wasm build
# then travels only where it was built before.
set -euo pipefail
cd "$(dirname "$0")/../.."
PIECE_BYTES=${PIECE_BYTES:-$((58 * 1024 * 1024))}
stage=$(mktemp -d /tmp/wgslrun-stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT

fetch_gl_debs() {
  mkdir -p .gl/extra /tmp/amd64/partial
  local apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  ls .gl/libvulkan1_*.deb .gl/extra/libpng16-16_*.deb >/dev/null 2>&1 && return 0
  apt-get "${apt_opts[@]}" update -qq
  (cd .gl && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  # build/wgslrun links libpng (PNG texture bindings), which the GPU machine may lack: common.sh
  # unpacks it beside /, not into it, and only then.
  (cd .gl/extra && apt-get "${apt_opts[@]}" download libpng16-16)
}

NATIVE_APART=${NATIVE_APART:-}

build_everything() {
  make build
  [ -n "$NATIVE_APART" ] && return 0
  (cd bench/rust && cargo build --release --locked)
  if [ ! -f bench/rust-wasm/build/pkg/wgslrun_bench_rust_wasm_bg.wasm ]; then
    bash bench/rust-wasm/setup.sh && bash bench/rust-wasm/build.sh
  fi
}

# The repository's own builds and node_modules, at their repository paths.
copy_repo_outputs() {
  local files=(bench/wasm/build bench/web/node_modules/playwright-core)
  if [ -n "$NATIVE_APART" ]; then
    [ -d bench/rust-wasm/build/pkg ] && files+=(bench/rust-wasm/build/pkg)
  else
    files+=(build/wgslrun bench/rust/target/release/wgslrun-bench-rust deps/dawn deps/wgpu bench/rust-wasm/build/pkg)
  fi
  tar -cf - "${files[@]}" | tar -xf - -C "$stage"
  rm -rf "$stage/deps/wgpu/"*.h
}

# Every shared library these programs load, except glibc's own (the GPU machine's is newer).
copy_libraries() {
  local lib=$stage/.dev/lib
  mkdir -p "$lib"
  # NSS loads its modules by name at run time, so ldd of Chromium does not list them.
  local nss_modules=(/usr/lib/x86_64-linux-gnu/{libsoftokn3,libfreeblpriv3,libfreebl3,libnssckbi,libnssdbm3}.so)
  local programs=(/usr/lib/chromium/chromium /usr/lib/chromium/libvk_swiftshader.so /usr/bin/Xvfb /usr/bin/xkbcomp
    "${nss_modules[@]}")
  ldd "${programs[@]}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
    grep -vE '/(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux-x86-64)\.so' |
    while read -r path; do cp -L "$path" "$lib/"; done
  cp -L "${nss_modules[@]}" "$lib/"
}

copy_browser_and_display() {
  local dev=$stage/.dev
  mkdir -p "$dev/chromium" "$dev/bin" "$dev/share"
  # Chromium's directory without its validation layer, mock driver and other locales.
  (cd /usr/lib/chromium && tar -cf - --exclude='libVkLayer_khronos_validation.so*' \
    --exclude='libVkICD_mock_icd.so*' --exclude='*.TOC' --exclude='locales' .) | tar -xf - -C "$dev/chromium"
  mkdir -p "$dev/chromium/locales" && cp /usr/lib/chromium/locales/en-US.pak "$dev/chromium/locales/"
  cp /usr/bin/Xvfb /usr/bin/xkbcomp "$(command -v node)" "$dev/bin/"
  cp -rL /usr/share/X11/xkb "$dev/share/xkb"
  dpkg-query -W -f='${Package} ${Version}\n' chromium xvfb x11-xkb-utils xkb-data nodejs 2>/dev/null >"$dev/VERSIONS" || true
}

pack_pieces() {
  rm -rf .carry && mkdir -p .carry
  # The x86 filter first: most of the bytes are machine code.
  tar -C "$stage" -cf - . | xz -T0 --x86 --lzma2=preset=9 >"$stage.tar.xz"
  split -b "$PIECE_BYTES" -d -a 2 "$stage.tar.xz" .carry/bundle.
  (cd .carry && sha256sum bundle.* >SHA256SUMS)
  rm -f "$stage.tar.xz"
}

# Node, dawn.node (the webgpu package's Linux build) and Deno, at the paths bench/web/run.mjs
# runs them from.
pack_js_hosts() {
  local js=$stage/js-hosts
  mkdir -p "$js/.dev/bin"
  tar -cf - bench/web/node_modules/@deno/linux-x64-glibc bench/web/node_modules/webgpu/package.json \
    bench/web/node_modules/webgpu/index.js bench/web/node_modules/webgpu/dist/linux-x64 | tar -xf - -C "$js"
  cp "$(command -v node)" "$js/.dev/bin/"
  tar -C "$js" -cf - . | xz -T0 --x86 --lzma2=preset=9 >.carry/js-hosts.xz
  (cd .carry && sha256sum js-hosts.xz >js-hosts.sha256)
  rm -rf "$js"
  local bytes
  bytes=$(stat -c %s .carry/js-hosts.xz)
  [ "$bytes" -le "$PIECE_BYTES" ] || { echo "stage.sh: .carry/js-hosts.xz is $bytes bytes, over one piece" >&2; exit 1; }
}

fetch_gl_debs
build_everything
copy_repo_outputs
copy_libraries
copy_browser_and_display
pack_pieces
pack_js_hosts
du -sh .gl .carry/*
echo "stage.sh: carry .gl and .carry/SHA256SUMS with each piece: .carry/bundle.00 .. $(ls .carry/bundle.* | tail -1)"
echo "stage.sh: the Node and Deno rows carry .carry/js-hosts.xz and .carry/js-hosts.sha256 (and .gl)"
