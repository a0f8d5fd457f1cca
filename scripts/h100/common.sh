# Sourced by the H100 scripts: a Vulkan loader for the NVIDIA driver, from Debian packages carried
# in .gl/ (scripts/h100/stage.sh fetches them), and the carried WebGPU implementations.
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export WGSLRUN_DEPS=$PWD/.carry/deps
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
log() { echo "== $(date -u +%H:%M:%S) $*"; }
