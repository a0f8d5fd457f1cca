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
