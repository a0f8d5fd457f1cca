# Sourced by the device scripts, from the repository root on the GPU machine: the Vulkan loader
# for the NVIDIA driver (Debian packages carried in .gl/), the bundle stage.sh packed (unpacked
# by unpack.sh), and the environment every runner reads.
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
if ! ldconfig -p | grep -q libpng16.so.16 && ls .gl/extra/*.deb >/dev/null 2>&1; then
  for deb in .gl/extra/*.deb; do dpkg -x "$deb" /opt/wgslrun-extra; done
  export LD_LIBRARY_PATH=/opt/wgslrun-extra/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
# BUNDLE_OPTIONAL=1 (campaign.sh's native steps) goes on while bundle pieces are still missing.
bash scripts/device/unpack.sh || { [ $? -eq 3 ] && [ -n "${BUNDLE_OPTIONAL:-}" ]; } || exit
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
# The browser rows default VK_ICD_FILENAMES to SwiftShader when it is unset.
export VK_ICD_FILENAMES=$VK_DRIVER_FILES
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export WGSLRUN_DEPS=$PWD/deps
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
