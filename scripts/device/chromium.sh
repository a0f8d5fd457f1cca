#!/bin/sh
# The browser the device scripts give the browser rows (WGSLRUN_CHROMIUM): Debian's Chromium as
# stage.sh packed it, with the libraries packed beside it, which the GPU machine lacks.
dev="$(cd "$(dirname "$0")/../.." && pwd)/.dev"
LD_LIBRARY_PATH="$dev/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$dev/chromium/chromium" "$@"
