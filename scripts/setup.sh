#!/usr/bin/env bash
# Installs what wgslrun needs on a fresh Debian machine and fetches the two WebGPU
# implementations from their registries into deps/ (git-ignored, never committed).
#   deps/wgpu/  webgpu.h, wgpu.h, libwgpu_native-release.so  (PyPI wheel "wgpu")
#   deps/dawn/  libwebgpu_wrapper.so                          (npm "bun-webgpu-linux-x64")
# Re-running is cheap: present and verified files are kept.
#   scripts/setup.sh          everything: make build, make test, make bench
#   scripts/setup.sh --lib    only what `make lib` needs (the library and CLI alone): no clang-19,
#                             Chromium, valgrind, node or the Python test packages
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.lock
lib_only=false
case "${1:-}" in
  "") ;;
  --lib) lib_only=true ;;
  *) echo "setup: unknown argument '$1' (usage: scripts/setup.sh [--lib])" >&2; exit 2 ;;
esac

pkgs=(build-essential cmake pkg-config libvulkan1 libvulkan-dev mesa-vulkan-drivers libpng-dev python3-pip)
$lib_only || pkgs+=(chromium xvfb valgrind clang-19 lld-19 libclang-rt-19-dev libclang-rt-19-dev-wasm32 wasi-libc)
need_pkgs=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install ${need_pkgs[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
$lib_only || python3 -c "import numpy, pytest, PIL" 2>/dev/null || python3 -m pip install -q numpy pytest pillow
# tests/schema validates suite.json and the runners' result files (JSON Schema 2020-12): jsonschema is
# the reference validator for Python, pinned so the schema keywords it checks cannot change under us.
$lib_only || python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('jsonschema') != '4.26.0')" 2>/dev/null ||
  python3 -m pip install -q jsonschema==4.26.0

verify() { # file sha256
  [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status
}

mkdir -p deps/download deps/wgpu deps/dawn
wheel="deps/download/wgpu-${WGPU_WHEEL_VERSION}-py3-none-manylinux_2_28_x86_64.whl"
if ! verify "$wheel" "$WGPU_WHEEL_SHA256"; then
  echo "setup: fetching wgpu ${WGPU_WHEEL_VERSION} wheel from PyPI"
  python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
    --python-version 3.11 "wgpu==${WGPU_WHEEL_VERSION}" -d deps/download
  verify "$wheel" "$WGPU_WHEEL_SHA256" || { echo "setup: checksum mismatch for $wheel" >&2; exit 1; }
fi
if ! [ -f deps/wgpu/libwgpu_native-release.so ] || [ "$wheel" -nt deps/wgpu/webgpu.h ]; then
  python3 - "$wheel" deps/wgpu <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("webgpu.h", "wgpu.h", "libwgpu_native-release.so"):
        with open(os.path.join(dest, name), "wb") as f:
            f.write(z.read("wgpu/resources/" + name))
PY
fi

tgz="deps/download/bun-webgpu-linux-x64-${DAWN_NPM_VERSION}.tgz"
if ! verify "$tgz" "$DAWN_NPM_SHA256"; then
  echo "setup: fetching bun-webgpu-linux-x64 ${DAWN_NPM_VERSION} (Dawn) from npm"
  if command -v npm >/dev/null; then
    (cd deps/download && npm pack -q "bun-webgpu-linux-x64@${DAWN_NPM_VERSION}" >/dev/null)
  else # --lib without node: the same tarball from the registry, checked against the same hash
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
      "https://registry.npmjs.org/bun-webgpu-linux-x64/-/bun-webgpu-linux-x64-${DAWN_NPM_VERSION}.tgz" "$tgz"
  fi
  verify "$tgz" "$DAWN_NPM_SHA256" || { echo "setup: checksum mismatch for $tgz" >&2; exit 1; }
fi
if ! [ -f deps/dawn/libwebgpu_wrapper.so ] || [ "$tgz" -nt deps/dawn/libwebgpu_wrapper.so ]; then
  tar -xzf "$tgz" -C deps/dawn --strip-components=1 package/libwebgpu_wrapper.so package/LICENSE
  touch deps/dawn/libwebgpu_wrapper.so
fi
# The JavaScript rows' packages (dawn.node, Deno, playwright-core; never a browser download).
if ! $lib_only && { [ ! -d bench/web/node_modules ] || [ bench/web/package-lock.json -nt bench/web/node_modules ]; }; then
  echo "setup: npm ci in bench/web"
  (cd bench/web && npm ci --no-audit --no-fund --loglevel=error)
  touch bench/web/node_modules
fi

echo "setup: deps ready (wgpu-native from wgpu ${WGPU_WHEEL_VERSION}, Dawn from bun-webgpu-linux-x64 ${DAWN_NPM_VERSION})"
