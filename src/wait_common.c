/* What both platforms' waits share: the time limit, its message, and waiting for the queue. */
#include <stdio.h>
#include <string.h>

#include "wait.h"

double wr_wait_limit_ms(const wr_context* ctx) {
    return ctx->wait_limit_ms;
}

/* The work that overran is still queued or running and webgpu.h cannot cancel it, so the
 * context is lost from here on: no later call may wait on the same queue again. */
wr_status wr_ctx_timed_out(wr_context* ctx, double limit_ms) {
    ctx->timed_out = true;
    ctx->lost = true;
    ctx->async_status = WR_ERROR_TIMEOUT;
    snprintf(ctx->async_error, sizeof ctx->async_error,
             "%s: GPU work did not finish within %g s (wait_timeout_s); the context is lost",
             ctx->procs.name, limit_ms / 1e3);
    return wr_ctx_fail(ctx, WR_ERROR_TIMEOUT, "%s", ctx->async_error);
}

bool wr_context_timed_out(const wr_context* ctx) {
    return ctx != NULL && ctx->timed_out;
}

int wr_wait_mode_parse(const char* name) {
    static const char* const names[] = {"default", "spin", "block", "sleep"};
    for (int i = 0; name != NULL && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
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
