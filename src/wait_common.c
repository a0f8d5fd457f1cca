/* What both platforms' waits share: the time limit, its message, and waiting for the queue. */
#include <stdlib.h>

#include "wait.h"

double wr_wait_limit_ms(void) {
    const char* env = getenv("WGSLRUN_TIMEOUT_S");
    double seconds = env ? atof(env) : 0.0;
    return (seconds > 0 ? seconds : WR_DEFAULT_WAIT_TIMEOUT_S) * 1e3;
}

wr_status wr_ctx_timed_out(wr_context* ctx, double limit_ms) {
    return wr_ctx_fail(ctx, WR_ERROR_TIMEOUT,
                       "%s: GPU work did not finish within %.0f s (set WGSLRUN_TIMEOUT_S to wait "
                       "longer)",
                       ctx->procs.name, limit_ms / 1e3);
}

static void on_work_done(WGPUQueueWorkDoneStatus status, WGPUStringView message, void* userdata1,
                         void* userdata2) {
    (void)status, (void)message, (void)userdata2;
    *(bool*)userdata1 = true;
}

wr_status wr_ctx_wait_queue(wr_context* ctx) {
    bool done = false;
    WGPUFuture future = ctx->procs.QueueOnSubmittedWorkDone(
        ctx->queue, (WGPUQueueWorkDoneCallbackInfo){
                        .mode = ctx->callback_mode, .callback = on_work_done, .userdata1 = &done});
    wr_status status = wr_ctx_wait(ctx, future, &done);
    if (status != WR_OK) return status;
    return wr_ctx_take_async_error(ctx);
}

wr_status wr_context_wait_idle(wr_context* ctx) {
    return wr_ctx_wait_queue(ctx);
}
