/* Internal: blocking on WebGPU futures, the one place besides the loader that differs by
 * platform (native threads block here; the wasm32 build suspends through JSPI instead). */
#ifndef WGSLRUN_SRC_WAIT_H
#define WGSLRUN_SRC_WAIT_H

#include "context.h"

/* The limit one wait may take, in milliseconds, and the failure when it is exceeded (which
 * also marks the context lost and timed out). */
double wr_wait_limit_ms(const wr_context* ctx);
wr_status wr_ctx_timed_out(wr_context* ctx, double limit_ms);

#endif
