/* Blocking on WebGPU futures. Dawn blocks in wgpuInstanceWaitAny (TimedWaitAny); wgpu-native
 * has no timed WaitAny, so its device is polled. wr_wait_mode picks how (for measuring what
 * each costs); every mode but wgpu-native's WR_WAIT_BLOCK is bounded by the context's limit. */
#include "wait.h"

#include <time.h>

double wr_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Polls for this long before blocking: a kernel that finishes within it is seen at once,
 * where a blocking wait adds an OS wake-up (tens of us) to every round trip. */
#define WR_SPIN_BEFORE_BLOCK_MS 0.2
/* Between non-blocking polls once the spin is over: short against any kernel that takes
 * longer than the spin, long enough not to keep a core busy. */
#define WR_POLL_SLEEP_NS 20000L

static void nap(void) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = WR_POLL_SLEEP_NS};
    nanosleep(&ts, NULL);
}

/* wgpu-native's default spins longer: after it each poll sleeps, and a sleep overshoots by
 * the timer slack (~50 us), where Dawn's blocking wait wakes when the fence signals. */
#define WR_POLL_SPIN_MS 2.0

static double spin_ms_for(const wr_context* ctx) {
    switch (ctx->wait_mode) {
    case WR_WAIT_SPIN: return 1e300;
    case WR_WAIT_BLOCK:
    case WR_WAIT_SLEEP: return 0.0;
    default:
        return ctx->callback_mode == WGPUCallbackMode_WaitAnyOnly ? WR_SPIN_BEFORE_BLOCK_MS : WR_POLL_SPIN_MS;
    }
}

static wr_status wait_any(wr_context* ctx, WGPUFuture future, const bool* done, double limit_ms) {
    WGPUFutureWaitInfo info = {.future = future, .completed = 0};
    WGPUWaitStatus status = WGPUWaitStatus_TimedOut;
    double start = wr_now_ms();
    double spin_end = start + spin_ms_for(ctx);
    for (double now = start; status == WGPUWaitStatus_TimedOut && !*done && now < spin_end &&
                             now - start <= limit_ms;
         now = wr_now_ms()) {
        status = ctx->procs.InstanceWaitAny(ctx->instance, 1, &info, 0);
        if (status == WGPUWaitStatus_TimedOut && ctx->wait_mode == WR_WAIT_SLEEP) nap();
    }
    double left_ms = limit_ms - (wr_now_ms() - start);
    if (status == WGPUWaitStatus_TimedOut && !*done && left_ms > 0)
        status = ctx->procs.InstanceWaitAny(ctx->instance, 1, &info, (uint64_t)(left_ms * 1e6));
    if (status == WGPUWaitStatus_TimedOut && !*done) return wr_ctx_timed_out(ctx, limit_ms);
    if (status != WGPUWaitStatus_Success || !*done)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "%s: wgpuInstanceWaitAny failed (status %d)",
                           ctx->procs.name, (int)status);
    return WR_OK;
}

/* wgpu-native: DevicePoll(wait=false) triages finished submissions and fires their callbacks;
 * DevicePoll(wait=true) blocks until the queue is idle and cannot be bounded. */
static wr_status poll_until(wr_context* ctx, const bool* done, double limit_ms) {
    double start = wr_now_ms();
    double spin_ms = spin_ms_for(ctx);
    bool can_poll = ctx->device != NULL && ctx->procs.DevicePoll != NULL;
    for (;;) {
        ctx->procs.InstanceProcessEvents(ctx->instance);
        if (*done) return WR_OK;
        if (ctx->lost) return wr_ctx_take_async_error(ctx);
        double elapsed = wr_now_ms() - start;
        if (elapsed > limit_ms) return wr_ctx_timed_out(ctx, limit_ms);
        if (!can_poll) {
            if (elapsed > spin_ms) nap();
            continue;
        }
        bool block = ctx->wait_mode == WR_WAIT_BLOCK;
        ctx->procs.DevicePoll(ctx->device, block, NULL);
        if (!block && !*done && elapsed > spin_ms) nap();
    }
}

wr_status wr_ctx_wait(wr_context* ctx, WGPUFuture future, const bool* done) {
    if (*done) return WR_OK;
    if (ctx->timed_out) return wr_ctx_timed_out(ctx, ctx->wait_limit_ms);
    double limit_ms = wr_wait_limit_ms(ctx);
    if (ctx->callback_mode == WGPUCallbackMode_WaitAnyOnly)
        return wait_any(ctx, future, done, limit_ms);
    return poll_until(ctx, done, limit_ms);
}
