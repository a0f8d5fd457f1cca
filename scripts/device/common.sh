# Sourced by the device scripts, from the repository root on the GPU machine: the Vulkan loader
# for the NVIDIA driver (Debian packages carried in .gl/), the bundle stage.sh packed (unpacked
# by unpack.sh), and the environment every runner reads.
source scripts/device/gpu_env.sh
# BUNDLE_OPTIONAL=1 (campaign.sh's native steps) goes on while bundle pieces are still missing.
bash scripts/device/unpack.sh || { [ $? -eq 3 ] && [ -n "${BUNDLE_OPTIONAL:-}" ]; } || exit
# (gpu_env.sh sets VK_ICD_FILENAMES: the browser rows default it to SwiftShader when unset.)
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export WGSLRUN_CHROMIUM=$PWD/scripts/device/chromium.sh
export PATH=$PWD/.dev/bin:$PATH
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
log() { echo "== $(date -u +%H:%M:%S) $*"; }

# An X server for the browser rows that need a display (WGSLRUN_CHROMIUM_DISPLAY=x11): Xvfb
# finds xkbcomp and the keyboard data at Debian's paths, which the GPU machine lacks.
start_xvfb() {
  [ -x /usr/bin/xkbcomp ] || cp .dev/bin/xkbcomp /usr/bin/xkbcomp
  [ -d /usr/share/X11/xkb ] || { mkdir -p /usr/share/X11 && cp -r .dev/share/xkb /usr/share/X11/xkb; }
  rm -f /tmp/.X99-lock /tmp/.X11-unix/X99 # left by an earlier command's server, which was killed
  LD_LIBRARY_PATH=$PWD/.dev/lib .dev/bin/Xvfb :99 -screen 0 1280x1024x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &
  for _ in $(seq 50); do [ -S /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
  [ -S /tmp/.X11-unix/X99 ] && export DISPLAY=:99 || { echo "Xvfb did not start:"; tail -5 /tmp/xvfb.log; }
}
