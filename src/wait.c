/* Blocking on WebGPU futures. Dawn blocks in wgpuInstanceWaitAny (TimedWaitAny); wgpu-native
 * has no timed WaitAny, so its device is polled, which blocks until queued work completes. */
#include "wait.h"

#include <time.h>

double wr_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Polls for this long before blocking: a kernel that finishes within it is seen at once,
 * where a blocking WaitAny adds the OS wake-up of Dawn's fence wait to every round trip. */
#define WR_SPIN_BEFORE_BLOCK_MS 0.2

static wr_status wait_any(wr_context* ctx, WGPUFuture future, const bool* done, double limit_ms) {
    WGPUFutureWaitInfo info = {.future = future, .completed = 0};
    WGPUWaitStatus status = WGPUWaitStatus_TimedOut;
    double spin_end = wr_now_ms() + WR_SPIN_BEFORE_BLOCK_MS;
    while (status == WGPUWaitStatus_TimedOut && !*done && wr_now_ms() < spin_end)
        status = ctx->procs.InstanceWaitAny(ctx->instance, 1, &info, 0);
    if (status == WGPUWaitStatus_TimedOut && !*done)
        status = ctx->procs.InstanceWaitAny(ctx->instance, 1, &info, (uint64_t)(limit_ms * 1e6));
    if (status == WGPUWaitStatus_TimedOut) return wr_ctx_timed_out(ctx, limit_ms);
    if (status != WGPUWaitStatus_Success || !*done)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "%s: wgpuInstanceWaitAny failed (status %d)",
                           ctx->procs.name, (int)status);
    return WR_OK;
}

static wr_status poll_until(wr_context* ctx, const bool* done, double limit_ms) {
    double start = wr_now_ms();
    for (;;) {
        ctx->procs.InstanceProcessEvents(ctx->instance);
        if (*done) return WR_OK;
        if (ctx->lost) return wr_ctx_take_async_error(ctx);
        if (wr_now_ms() - start > limit_ms) return wr_ctx_timed_out(ctx, limit_ms);
        if (ctx->device != NULL && ctx->procs.DevicePoll != NULL)
            ctx->procs.DevicePoll(ctx->device, 1, NULL);
    }
}

wr_status wr_ctx_wait(wr_context* ctx, WGPUFuture future, const bool* done) {
    if (*done) return WR_OK;
    double limit_ms = wr_wait_limit_ms();
    if (ctx->callback_mode == WGPUCallbackMode_WaitAnyOnly)
        return wait_any(ctx, future, done, limit_ms);
    return poll_until(ctx, done, limit_ms);
}
