/* Blocking on WebGPU futures on wasm32. A browser completes GPU work only when control returns
 * to its event loop, so a wait cannot spin here: wgpuInstanceWaitAny is an import the host
 * wraps in WebAssembly.Suspending (JSPI), which parks this whole wasm stack until the promise
 * behind the future settles and resumes it with the callback already run. Polling with
 * wgpuInstanceProcessEvents (wait.c's path for wgpu-native) would never see progress. */
#include "wait.h"

#include <time.h>

/* WASI clock_time_get: the host maps it to performance.now(), whose resolution the browser
 * coarsens (5 us when the page is cross-origin isolated, 100 us otherwise). */
double wr_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

wr_status wr_ctx_wait(wr_context* ctx, WGPUFuture future, const bool* done) {
    if (*done) return WR_OK;
    if (ctx->timed_out) return wr_ctx_timed_out(ctx, ctx->wait_limit_ms);
    if (ctx->callback_mode != WGPUCallbackMode_WaitAnyOnly)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL,
                           "%s: the wasm32 build can only wait with wgpuInstanceWaitAny", ctx->procs.name);
    double limit_ms = wr_wait_limit_ms(ctx);
    WGPUFutureWaitInfo info = {.future = future, .completed = 0};
    WGPUWaitStatus status = ctx->procs.InstanceWaitAny(ctx->instance, 1, &info, (uint64_t)(limit_ms * 1e6));
    if (status == WGPUWaitStatus_TimedOut) return wr_ctx_timed_out(ctx, limit_ms);
    if (status != WGPUWaitStatus_Success || !*done)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "%s: wgpuInstanceWaitAny failed (status %d)",
                           ctx->procs.name, (int)status);
    return WR_OK;
}
