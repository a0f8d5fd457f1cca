/* Error routing: a context's last message, the errors WebGPU reports through callbacks (kept
 * until the next call can return them), and error scopes for synchronous failures. */
#include <stdarg.h>
#include <stdio.h>

#include "context.h"

wr_status wr_ctx_fail(wr_context* ctx, wr_status status, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, args);
    va_end(args);
    return status;
}

wr_status wr_ctx_take_async_error(wr_context* ctx) {
    if (ctx->async_status == WR_OK) return WR_OK;
    wr_status status = ctx->async_status;
    snprintf(ctx->error, sizeof ctx->error, "%s", ctx->async_error);
    if (!ctx->lost) ctx->async_status = WR_OK;
    return status;
}

const char* wr_context_error(const wr_context* ctx) {
    return ctx ? ctx->error : "no context";
}

/* ---------------------------------------------------------------- device callbacks */

static wr_status status_of_error_type(WGPUErrorType type) {
    switch (type) {
    case WGPUErrorType_Validation: return WR_ERROR_VALIDATION;
    case WGPUErrorType_OutOfMemory: return WR_ERROR_OUT_OF_MEMORY;
    default: return WR_ERROR_INTERNAL;
    }
}

static void on_uncaptured_error(WGPUDevice const* device, WGPUErrorType type, WGPUStringView message,
                                void* userdata1, void* userdata2) {
    (void)device, (void)userdata2;
    wr_context* ctx = userdata1;
    if (ctx->async_status != WR_OK) return; /* keep the first error: later ones follow from it */
    ctx->async_status = status_of_error_type(type);
    char text[WR_ERROR_MESSAGE_MAX - 32];
    wr_sv_copy(text, sizeof text, message);
    snprintf(ctx->async_error, sizeof ctx->async_error, "WebGPU: %s", text);
}

static void on_device_lost(WGPUDevice const* device, WGPUDeviceLostReason reason,
                           WGPUStringView message, void* userdata1, void* userdata2) {
    (void)device, (void)userdata2;
    wr_context* ctx = userdata1;
    if (reason == WGPUDeviceLostReason_Destroyed || reason == WGPUDeviceLostReason_CallbackCancelled)
        return;
    ctx->lost = true;
    ctx->async_status = WR_ERROR_DEVICE_LOST;
    char text[WR_ERROR_MESSAGE_MAX - 32];
    wr_sv_copy(text, sizeof text, message);
    snprintf(ctx->async_error, sizeof ctx->async_error, "device lost: %s", text);
}

void wr_ctx_route_device_errors(wr_context* ctx, WGPUDeviceDescriptor* device_desc) {
    device_desc->deviceLostCallbackInfo = (WGPUDeviceLostCallbackInfo){
        .mode = WGPUCallbackMode_AllowSpontaneous, .callback = on_device_lost, .userdata1 = ctx};
    device_desc->uncapturedErrorCallbackInfo =
        (WGPUUncapturedErrorCallbackInfo){.callback = on_uncaptured_error, .userdata1 = ctx};
}

/* ---------------------------------------------------------------- error scopes */

/* Larger than a wgslrun message: wgpu-native puts the reason for a shader error after a source
 * excerpt, and kernel.c condenses the whole report to fit. */
#define WR_SCOPE_MESSAGE_MAX 8192

typedef struct scope_result {
    bool done;
    WGPUErrorType type;
    char message[WR_SCOPE_MESSAGE_MAX];
} scope_result;

static void on_pop_scope(WGPUPopErrorScopeStatus status, WGPUErrorType type, WGPUStringView message,
                         void* userdata1, void* userdata2) {
    (void)userdata2;
    scope_result* result = userdata1;
    result->done = true;
    result->type = status == WGPUPopErrorScopeStatus_Success ? type : WGPUErrorType_NoError;
    wr_sv_copy(result->message, sizeof result->message, message);
}

void wr_ctx_push_scopes(wr_context* ctx) {
    ctx->procs.DevicePushErrorScope(ctx->device, WGPUErrorFilter_OutOfMemory);
    ctx->procs.DevicePushErrorScope(ctx->device, WGPUErrorFilter_Validation);
}

static wr_status pop_scope(wr_context* ctx, scope_result* result) {
    *result = (scope_result){0};
    WGPUFuture future = ctx->procs.DevicePopErrorScope(
        ctx->device, (WGPUPopErrorScopeCallbackInfo){
                         .mode = ctx->callback_mode, .callback = on_pop_scope, .userdata1 = result});
    return wr_ctx_wait(ctx, future, &result->done);
}

wr_status wr_ctx_pop_scopes(wr_context* ctx, wr_status status_on_error, char* message,
                            size_t message_size) {
    scope_result validation, oom;
    wr_status status = pop_scope(ctx, &validation);
    wr_status status2 = pop_scope(ctx, &oom);
    if (status != WR_OK) return status;
    if (status2 != WR_OK) return status2;
    const scope_result* failed = validation.type != WGPUErrorType_NoError ? &validation
                               : oom.type != WGPUErrorType_NoError        ? &oom
                                                                          : NULL;
    if (failed == NULL) return WR_OK;
    snprintf(message, message_size, "%s", failed->message);
    return failed->type == WGPUErrorType_OutOfMemory ? WR_ERROR_OUT_OF_MEMORY : status_on_error;
}
