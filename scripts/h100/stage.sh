#!/usr/bin/env bash
# Prepares what the H100 commands carry (git-ignored): .gl/ (Debian's Vulkan loader and GL
# dispatch libraries) and .carry/ (the wgslrun and Rust binaries built here, and deps/).
# The device machine has no network and no Vulkan loader; see ../shared/NOTES.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .gl /tmp/amd64/partial
apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  apt-get "${apt_opts[@]}" update -qq
  (cd .gl && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
make build
(cd bench/rust && cargo build --release --locked)
rm -rf .carry && mkdir -p .carry/bin .carry/deps
cp build/wgslrun bench/rust/target/release/wgslrun-bench-rust .carry/bin/
cp -r deps/dawn deps/wgpu .carry/deps/
du -sh .gl .carry

# The JavaScript rows: Node (to drive them and run dawn.node) and Deno, compressed to fit one
# command's carry; the device machine has neither.
rm -rf .carry-js && mkdir -p .carry-js
xz -T2 -9 -c "$(command -v node)" >.carry-js/node.xz
xz -T2 -9 -c bench/web/node_modules/@deno/linux-x64-glibc/deno >.carry-js/deno.xz
tar -C bench/web/node_modules -cJf .carry-js/web_modules.tar.xz \
  webgpu/package.json webgpu/index.js webgpu/dist/linux-x64 @deno/linux-x64-glibc/package.json
du -sh .carry-js
