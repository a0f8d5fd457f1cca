# Sourced by common.sh and kernels_env.sh on the GPU machine: Debian's Vulkan loader and GL
# dispatch libraries carried in .gl/, libpng where the machine lacks it (build/wgslrun links
# it), and the NVIDIA driver's Vulkan ICD.
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
if ! ldconfig -p | grep -q libpng16.so.16 && ls .gl/extra/*.deb >/dev/null 2>&1; then
  for deb in .gl/extra/*.deb; do dpkg -x "$deb" /opt/wgslrun-extra; done
  export LD_LIBRARY_PATH=/opt/wgslrun-extra/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export VK_ICD_FILENAMES=$VK_DRIVER_FILES WGSLRUN_DEPS=$PWD/deps

# Builds bench/cuda/build/bench_cuda once per machine. The tree is copied afresh for every
# device command, so the binary is also kept in /tmp under a hash of its sources: the next
# command of the session finds it there instead of spending 40 s in nvcc again.
build_cuda() {
  local cache
  cache=/tmp/wgslrun-bench-cuda-$(cat bench/cuda/build.sh bench/cuda/*.cu bench/cuda/*.cpp bench/cuda/*.h \
    json/json.c json/json.h include/wgslrun.h 2>/dev/null | sha256sum | cut -c1-16)
  if [ -x "$cache" ]; then
    mkdir -p bench/cuda/build && cp "$cache" bench/cuda/build/bench_cuda
    return
  fi
  echo "== $(date -u +%H:%M:%S) build CUDA reference"
  bash bench/cuda/build.sh >/tmp/cuda_build.log 2>&1 || { tail -20 /tmp/cuda_build.log; return 1; }
  cp bench/cuda/build/bench_cuda "$cache"
}
