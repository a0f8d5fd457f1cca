/* Internal: blocking on WebGPU futures, the one place besides the loader that differs by
 * platform (native threads block here; the wasm32 build suspends through JSPI instead). */
#ifndef WGSLRUN_SRC_WAIT_H
#define WGSLRUN_SRC_WAIT_H

#include "context.h"

/* How long one wait may take before WR_ERROR_TIMEOUT; $WGSLRUN_TIMEOUT_S overrides. */
#define WR_DEFAULT_WAIT_TIMEOUT_S 120.0

#endif
