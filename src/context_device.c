/* The device: which features and limits wgslrun asks for, Dawn's toggles, and the request. */

#include <stdlib.h>
#include <string.h>

#include "context.h"

typedef struct device_request {
    bool done;
    WGPUDevice device;
    char message[512];
} device_request;

static void on_device(WGPURequestDeviceStatus status, WGPUDevice device, WGPUStringView message,
                      void* userdata1, void* userdata2) {
    (void)userdata2;
    device_request* request = userdata1;
    request->done = true;
    if (status == WGPURequestDeviceStatus_Success) request->device = device;
    else wr_sv_copy(request->message, sizeof request->message, message);
}

/* What the device will have enabled, each only where the adapter has it. */
typedef struct device_features {
    WGPUFeatureName list[3];
    size_t count;
    bool timestamps, shader_f16, subgroups;
} device_features;

static bool request_if_present(wr_context* ctx, device_features* f, WGPUFeatureName feature) {
    WGPUFeatureName value = wr_ctx_adapter_feature(&ctx->procs, ctx->adapter, feature);
    if (!value) return false;
    f->list[f->count++] = value;
    return true;
}

static device_features choose_features(wr_context* ctx, const wr_context_desc* desc) {
    device_features f = {0};
    f.timestamps = !desc->no_timestamps && request_if_present(ctx, &f, WGPUFeatureName_TimestampQuery);
    /* Shader features cost nothing until a shader enables them, so every one the adapter has
     * is requested: `enable f16;` and `enable subgroups;` then compile wherever they can. */
    f.shader_f16 = request_if_present(ctx, &f, WGPUFeatureName_ShaderF16);
    f.subgroups = request_if_present(ctx, &f, WGPUFeatureName_Subgroups);
    return f;
}

/* Hands Dawn's device log to desc->log, one NUL-terminated message at a time. */
static void on_device_log(uint32_t type, WGPUStringView message, void* userdata1, void* userdata2) {
    (void)type;
    wr_context* ctx = userdata1;
    (void)userdata2;
    size_t length = message.length == WGPU_STRLEN ? strlen(message.data) : message.length;
    char* text = malloc(length + 1);
    if (text == NULL) return;
    if (length > 0) memcpy(text, message.data, length);
    text[length] = '\0';
    ctx->log(ctx->log_user, text);
    free(text);
}

static void route_device_log(wr_context* ctx, const wr_context_desc* desc) {
    if (desc->log == NULL || ctx->procs.DeviceSetLoggingCallback == NULL) return;
    ctx->log = desc->log;
    ctx->log_user = desc->log_user;
    ctx->procs.DeviceSetLoggingCallback(ctx->device, (wr_dawn_logging_callback_info){
                                                         .callback = on_device_log, .userdata1 = ctx});
}

/* Dawn's toggles extension (sType 0x5000A, a fact of Dawn's ABI). Dawn rounds timestamps to
 * 64 us unless `timestamp_quantization` is off, which would make GPU times of short kernels
 * meaningless; native callers are not the web page that quantization protects against. */
typedef struct dawn_toggles_descriptor {
    WGPUChainedStruct chain;
    size_t enabled_toggle_count;
    const char* const* enabled_toggles;
    size_t disabled_toggle_count;
    const char* const* disabled_toggles;
} dawn_toggles_descriptor;

#define DAWN_STYPE_TOGGLES_DESCRIPTOR ((WGPUSType)0x0005000A)

static const char* const dawn_disabled_toggles[] = {"timestamp_quantization"};

static dawn_toggles_descriptor dawn_toggles(const wr_context_desc* desc) {
    return (dawn_toggles_descriptor){
        .chain = {.sType = DAWN_STYPE_TOGGLES_DESCRIPTOR},
        .enabled_toggle_count = desc->dawn_toggle_count,
        .enabled_toggles = desc->dawn_toggles,
        .disabled_toggle_count = sizeof dawn_disabled_toggles / sizeof dawn_disabled_toggles[0],
        .disabled_toggles = dawn_disabled_toggles};
}

static wr_status request_device(wr_context* ctx, const WGPUDeviceDescriptor* device_desc, wr_error* err) {
    device_request request = {0};
    WGPUFuture future = ctx->procs.AdapterRequestDevice(
        ctx->adapter, device_desc,
        (WGPURequestDeviceCallbackInfo){
            .mode = ctx->callback_mode, .callback = on_device, .userdata1 = &request});
    wr_status status = wr_ctx_wait(ctx, future, &request.done);
    if (status != WR_OK) return wr_error_set(err, status, "%s", ctx->error);
    if (request.device == NULL)
        return wr_error_set(err, WR_ERROR_DEVICE, "%s: device request failed: %s", ctx->procs.name,
                            request.message);
    ctx->device = request.device;
    return WR_OK;
}

wr_status wr_ctx_create_device(wr_context* ctx, const wr_context_desc* desc, wr_error* err) {
    device_features features = choose_features(ctx, desc);
    WGPULimits adapter_limits = WGPU_LIMITS_INIT;
    bool full = !desc->default_limits &&
                ctx->procs.AdapterGetLimits(ctx->adapter, &adapter_limits) == WGPUStatus_Success;
    dawn_toggles_descriptor toggles = dawn_toggles(desc);

    WGPUDeviceDescriptor device_desc = WGPU_DEVICE_DESCRIPTOR_INIT;
    device_desc.label = wr_sv("wgslrun");
    if (ctx->procs.kind == WR_IMPL_DAWN) device_desc.nextInChain = &toggles.chain;
    device_desc.requiredFeatureCount = features.count;
    device_desc.requiredFeatures = features.list;
    device_desc.requiredLimits = full ? &adapter_limits : NULL;
    wr_ctx_route_device_errors(ctx, &device_desc);

    wr_status status = request_device(ctx, &device_desc, err);
    if (status != WR_OK) return status;
    ctx->queue = ctx->procs.DeviceGetQueue(ctx->device);
    route_device_log(ctx, desc);
    ctx->info.has_timestamps = features.timestamps;
    ctx->info.has_shader_f16 = features.shader_f16;
    ctx->info.has_subgroups = features.subgroups;
    WGPULimits device_limits = WGPU_LIMITS_INIT;
    if (ctx->procs.DeviceGetLimits(ctx->device, &device_limits) == WGPUStatus_Success)
        wr_ctx_copy_limits(&ctx->info.limits, &device_limits);
    return WR_OK;
}
