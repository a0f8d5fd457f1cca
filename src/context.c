/* Context: instance, adapter and device of one WebGPU implementation, and error routing. */
#include "context.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "host_copy.h"
#include "kernel_cache.h"
#include "wait.h"

WGPUStringView wr_sv(const char* s) {
    return (WGPUStringView){.data = s, .length = s ? WGPU_STRLEN : 0};
}

void wr_sv_copy(char* dst, size_t dst_size, WGPUStringView sv) {
    if (dst_size == 0) return;
    size_t n = 0;
    if (sv.data != NULL) n = sv.length == WGPU_STRLEN ? strlen(sv.data) : sv.length;
    if (n >= dst_size) n = dst_size - 1;
    if (n > 0) memcpy(dst, sv.data, n);
    dst[n] = '\0';
}

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

const wr_adapter_info* wr_context_info(const wr_context* ctx) {
    return &ctx->info;
}

/* ---------------------------------------------------------------- callbacks */

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

typedef struct adapter_request {
    bool done;
    WGPUAdapter adapter;
    char message[512];
} adapter_request;

static void on_adapter(WGPURequestAdapterStatus status, WGPUAdapter adapter, WGPUStringView message,
                       void* userdata1, void* userdata2) {
    (void)userdata2;
    adapter_request* request = userdata1;
    request->done = true;
    if (status == WGPURequestAdapterStatus_Success) request->adapter = adapter;
    else wr_sv_copy(request->message, sizeof request->message, message);
}

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

/* ---------------------------------------------------------------- creation */

/* Dawn builds from before webgpu.h replaced InstanceDescriptor.capabilities with
 * requiredFeatures/requiredLimits lay the descriptor out like this (same size, other meaning). */
typedef struct legacy_instance_capabilities {
    WGPUChainedStruct* next_in_chain;
    WGPUBool timed_wait_any_enable;
    size_t timed_wait_any_max_count;
} legacy_instance_capabilities;

typedef struct legacy_instance_descriptor {
    WGPUChainedStruct* next_in_chain;
    legacy_instance_capabilities capabilities;
} legacy_instance_descriptor;

static wr_status create_instance(wr_context* ctx, wr_error* err) {
    /* Timed waits let Dawn block in WaitAny; wgpu-native waits by polling its device. */
    bool timed_wait = ctx->procs.kind != WR_IMPL_WGPU_NATIVE;
    if (ctx->procs.legacy_abi) {
        legacy_instance_descriptor desc = {
            .capabilities = {.timed_wait_any_enable = timed_wait, .timed_wait_any_max_count = 1}};
        ctx->instance = ctx->procs.CreateInstance((const WGPUInstanceDescriptor*)&desc);
    } else {
        WGPUInstanceFeatureName timed = WGPUInstanceFeatureName_TimedWaitAny;
        WGPUInstanceDescriptor desc = WGPU_INSTANCE_DESCRIPTOR_INIT;
        desc.requiredFeatureCount = timed_wait ? 1 : 0;
        desc.requiredFeatures = timed_wait ? &timed : NULL;
        ctx->instance = ctx->procs.CreateInstance(&desc);
    }
    ctx->callback_mode =
        timed_wait ? WGPUCallbackMode_WaitAnyOnly : WGPUCallbackMode_AllowProcessEvents;
    if (ctx->instance == NULL)
        return wr_error_set(err, WR_ERROR_LOAD, "%s: wgpuCreateInstance failed", ctx->procs.path);
    return WR_OK;
}

static bool all_digits(const char* s) {
    if (s == NULL || *s == '\0') return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static bool contains_case_insensitive(const char* haystack, const char* needle) {
    size_t n = strlen(needle);
    for (; *haystack; haystack++) {
        size_t i = 0;
        while (i < n && haystack[i] &&
               tolower((unsigned char)haystack[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n) return true;
    }
    return n == 0;
}

static WGPUAdapter request_adapter(wr_context* ctx, WGPUBackendType backend, bool fallback,
                                   char* message, size_t message_size) {
    adapter_request request = {0};
    WGPURequestAdapterOptions options = WGPU_REQUEST_ADAPTER_OPTIONS_INIT;
    options.powerPreference = WGPUPowerPreference_HighPerformance;
    options.backendType = backend;
    options.forceFallbackAdapter = fallback;
    WGPUFuture future = ctx->procs.InstanceRequestAdapter(
        ctx->instance, &options,
        (WGPURequestAdapterCallbackInfo){
            .mode = ctx->callback_mode, .callback = on_adapter, .userdata1 = &request});
    if (wr_ctx_wait(ctx, future, &request.done) != WR_OK) return NULL;
    snprintf(message, message_size, "%s", request.message);
    return request.adapter;
}

static void read_adapter_info(const wr_procs* procs, WGPUAdapter adapter, wr_adapter_info* info);

/* Every adapter the implementation offers, in a stable order. wgpu-native enumerates;
 * Dawn's C API only answers requests, so each backend and the fallback are asked in turn. */
static size_t collect_adapters(wr_context* ctx, WGPUAdapter* out, size_t capacity) {
    if (ctx->procs.InstanceEnumerateAdapters != NULL) {
        size_t n = ctx->procs.InstanceEnumerateAdapters(ctx->instance, NULL, NULL);
        WGPUAdapter* all = calloc(n ? n : 1, sizeof *all);
        if (all == NULL) return 0;
        n = ctx->procs.InstanceEnumerateAdapters(ctx->instance, NULL, all);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            if (kept < capacity) out[kept++] = all[i];
            else ctx->procs.AdapterRelease(all[i]);
        }
        free(all);
        return kept;
    }
    char message[512];
    size_t n = 0;
    WGPUAdapter first = request_adapter(ctx, WGPUBackendType_Undefined, false, message, sizeof message);
    if (first != NULL && n < capacity) out[n++] = first;
    WGPUAdapter fallback = request_adapter(ctx, WGPUBackendType_Undefined, true, message, sizeof message);
    if (fallback != NULL && n < capacity) {
        wr_adapter_info a, b;
        if (first != NULL) read_adapter_info(&ctx->procs, first, &a);
        read_adapter_info(&ctx->procs, fallback, &b);
        if (first == NULL || strcmp(a.device, b.device) != 0 || strcmp(a.backend, b.backend) != 0)
            out[n++] = fallback;
        else
            ctx->procs.AdapterRelease(fallback);
    }
    return n;
}

#define WR_MAX_ADAPTERS 16

static bool is_null_backend(const wr_procs* procs, WGPUAdapter adapter) {
    wr_adapter_info info;
    read_adapter_info(procs, adapter, &info);
    return strcmp(info.backend, "null") == 0;
}

static wr_status choose_adapter(wr_context* ctx, const char* wanted, wr_error* err) {
    if (wanted == NULL || wanted[0] == '\0') {
        char message[512] = "";
        ctx->adapter = request_adapter(ctx, WGPUBackendType_Undefined, false, message, sizeof message);
        /* Dawn falls back to its null backend, which runs nothing, when no driver loads. */
        if (ctx->adapter != NULL && is_null_backend(&ctx->procs, ctx->adapter)) {
            ctx->procs.AdapterRelease(ctx->adapter);
            ctx->adapter = NULL;
            snprintf(message, sizeof message, "only the null backend, which executes nothing, is available");
        }
        if (ctx->adapter == NULL)
            return wr_error_set(err, WR_ERROR_ADAPTER,
                                "%s: no WebGPU adapter%s%s (is a Vulkan driver installed? for a "
                                "CPU driver set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)",
                                ctx->procs.name, message[0] ? ": " : "", message);
        return WR_OK;
    }
    WGPUAdapter adapters[WR_MAX_ADAPTERS];
    size_t n = collect_adapters(ctx, adapters, WR_MAX_ADAPTERS);
    char names[1024] = "";
    for (size_t i = 0; i < n; i++) {
        wr_adapter_info info;
        read_adapter_info(&ctx->procs, adapters[i], &info);
        bool match = all_digits(wanted) ? (size_t)atoi(wanted) == i
                                        : contains_case_insensitive(info.device, wanted) ||
                                              contains_case_insensitive(info.description, wanted) ||
                                              contains_case_insensitive(info.backend, wanted);
        if (match && ctx->adapter == NULL) ctx->adapter = adapters[i];
        else ctx->procs.AdapterRelease(adapters[i]);
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%zu: %s (%s)", i ? ", " : "", i, info.device,
                 info.backend);
    }
    if (ctx->adapter == NULL)
        return wr_error_set(err, WR_ERROR_ADAPTER, "%s: no adapter matches '%s'; available: %s",
                            ctx->procs.name, wanted, n ? names : "none");
    return WR_OK;
}

static const char* backend_name(WGPUBackendType type) {
    switch (type) {
    case WGPUBackendType_Null: return "null";
    case WGPUBackendType_WebGPU: return "webgpu";
    case WGPUBackendType_D3D11: return "d3d11";
    case WGPUBackendType_D3D12: return "d3d12";
    case WGPUBackendType_Metal: return "metal";
    case WGPUBackendType_Vulkan: return "vulkan";
    case WGPUBackendType_OpenGL: return "opengl";
    case WGPUBackendType_OpenGLES: return "opengles";
    default: return "unknown";
    }
}

static const char* adapter_type_name(WGPUAdapterType type) {
    switch (type) {
    case WGPUAdapterType_DiscreteGPU: return "discrete-gpu";
    case WGPUAdapterType_IntegratedGPU: return "integrated-gpu";
    case WGPUAdapterType_CPU: return "cpu";
    default: return "unknown";
    }
}

static void copy_limits(wr_limits* out, const WGPULimits* in) {
    *out = (wr_limits){
        .max_buffer_size = in->maxBufferSize,
        .max_storage_buffer_binding_size = in->maxStorageBufferBindingSize,
        .max_uniform_buffer_binding_size = in->maxUniformBufferBindingSize,
        .max_storage_buffers_per_shader_stage = in->maxStorageBuffersPerShaderStage,
        .max_bind_groups = in->maxBindGroups,
        .max_compute_workgroup_storage_size = in->maxComputeWorkgroupStorageSize,
        .max_compute_invocations_per_workgroup = in->maxComputeInvocationsPerWorkgroup,
        .max_compute_workgroup_size = {in->maxComputeWorkgroupSizeX, in->maxComputeWorkgroupSizeY,
                                       in->maxComputeWorkgroupSizeZ},
        .max_compute_workgroups_per_dimension = in->maxComputeWorkgroupsPerDimension,
        .min_storage_buffer_offset_alignment = in->minStorageBufferOffsetAlignment,
    };
}

typedef struct feature_name {
    WGPUFeatureName feature;
    const char* name;
} feature_name;

static const feature_name known_features[] = {
    {WGPUFeatureName_TimestampQuery, "timestamp-query"},
    {WGPUFeatureName_ShaderF16, "shader-f16"},
    {WGPUFeatureName_Subgroups, "subgroups"},
    {WGPUFeatureName_Float32Filterable, "float32-filterable"},
    {WGPUFeatureName_Float32Blendable, "float32-blendable"},
    {WGPUFeatureName_IndirectFirstInstance, "indirect-first-instance"},
    {WGPUFeatureName_BGRA8UnormStorage, "bgra8unorm-storage"},
    {WGPUFeatureName_DepthClipControl, "depth-clip-control"},
    {WGPUFeatureName_TextureCompressionBC, "texture-compression-bc"},
};

static void read_adapter_info(const wr_procs* procs, WGPUAdapter adapter, wr_adapter_info* info) {
    memset(info, 0, sizeof *info);
    snprintf(info->impl_name, sizeof info->impl_name, "%s", procs->name);
    snprintf(info->impl_path, sizeof info->impl_path, "%s", procs->path);
    WGPUAdapterInfo raw = WGPU_ADAPTER_INFO_INIT;
    if (procs->AdapterGetInfo(adapter, &raw) == WGPUStatus_Success) {
        wr_sv_copy(info->vendor, sizeof info->vendor, raw.vendor);
        wr_sv_copy(info->architecture, sizeof info->architecture, raw.architecture);
        wr_sv_copy(info->device, sizeof info->device, raw.device);
        wr_sv_copy(info->description, sizeof info->description, raw.description);
        snprintf(info->backend, sizeof info->backend, "%s", backend_name(raw.backendType));
        snprintf(info->adapter_type, sizeof info->adapter_type, "%s", adapter_type_name(raw.adapterType));
        info->vendor_id = raw.vendorID;
        info->device_id = raw.deviceID;
        procs->AdapterInfoFreeMembers(raw);
    }
    WGPULimits limits = WGPU_LIMITS_INIT;
    if (procs->AdapterGetLimits(adapter, &limits) == WGPUStatus_Success)
        copy_limits(&info->adapter_limits, &limits);
    for (size_t i = 0; i < sizeof known_features / sizeof known_features[0]; i++) {
        if (!procs->AdapterHasFeature(adapter, wr_procs_feature(procs, known_features[i].feature))) continue;
        size_t used = strlen(info->features);
        snprintf(info->features + used, sizeof info->features - used, "%s%s", used ? "," : "",
                 known_features[i].name);
    }
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

static size_t split_toggles(const char* list, char* buffer, size_t buffer_size, const char** out, size_t max) {
    if (list == NULL || list[0] == '\0') return 0;
    snprintf(buffer, buffer_size, "%s", list);
    size_t n = 0;
    for (char* item = strtok(buffer, ","); item != NULL && n < max; item = strtok(NULL, ",")) out[n++] = item;
    return n;
}

static wr_status create_device(wr_context* ctx, const wr_context_desc* desc, wr_error* err) {
    WGPUFeatureName features[3];
    size_t feature_count = 0;
    WGPUFeatureName timestamp_query = wr_procs_feature(&ctx->procs, WGPUFeatureName_TimestampQuery);
    WGPUFeatureName shader_f16 = wr_procs_feature(&ctx->procs, WGPUFeatureName_ShaderF16);
    WGPUFeatureName subgroups = wr_procs_feature(&ctx->procs, WGPUFeatureName_Subgroups);
    bool timestamps = !desc->no_timestamps && ctx->procs.AdapterHasFeature(ctx->adapter, timestamp_query);
    if (timestamps) features[feature_count++] = timestamp_query;
    /* Shader features cost nothing until a shader enables them, so every one the adapter has
     * is requested: `enable f16;` and `enable subgroups;` then compile wherever they can. */
    bool f16 = ctx->procs.AdapterHasFeature(ctx->adapter, shader_f16);
    if (f16) features[feature_count++] = shader_f16;
    bool has_subgroups = ctx->procs.AdapterHasFeature(ctx->adapter, subgroups);
    if (has_subgroups) features[feature_count++] = subgroups;

    WGPULimits adapter_limits = WGPU_LIMITS_INIT;
    bool full = !desc->default_limits &&
                ctx->procs.AdapterGetLimits(ctx->adapter, &adapter_limits) == WGPUStatus_Success;

    WGPUDeviceDescriptor device_desc = WGPU_DEVICE_DESCRIPTOR_INIT;
    device_desc.label = wr_sv("wgslrun");
    dawn_toggles_descriptor toggles = {
        .chain = {.sType = DAWN_STYPE_TOGGLES_DESCRIPTOR},
        .disabled_toggle_count = sizeof dawn_disabled_toggles / sizeof dawn_disabled_toggles[0],
        .disabled_toggles = dawn_disabled_toggles};
    /* $WGSLRUN_DAWN_TOGGLES enables more Dawn toggles (comma-separated), for experiments such
     * as measuring what `disable_robustness` is worth. */
    char toggle_text[256];
    const char* enabled[8];
    toggles.enabled_toggles = enabled;
    toggles.enabled_toggle_count = split_toggles(getenv("WGSLRUN_DAWN_TOGGLES"), toggle_text, sizeof toggle_text,
                                                 enabled, sizeof enabled / sizeof enabled[0]);
    if (ctx->procs.kind == WR_IMPL_DAWN) device_desc.nextInChain = &toggles.chain;
    device_desc.requiredFeatureCount = feature_count;
    device_desc.requiredFeatures = features;
    device_desc.requiredLimits = full ? &adapter_limits : NULL;
    device_desc.deviceLostCallbackInfo = (WGPUDeviceLostCallbackInfo){
        .mode = WGPUCallbackMode_AllowSpontaneous, .callback = on_device_lost, .userdata1 = ctx};
    device_desc.uncapturedErrorCallbackInfo =
        (WGPUUncapturedErrorCallbackInfo){.callback = on_uncaptured_error, .userdata1 = ctx};

    device_request request = {0};
    WGPUFuture future = ctx->procs.AdapterRequestDevice(
        ctx->adapter, &device_desc,
        (WGPURequestDeviceCallbackInfo){
            .mode = ctx->callback_mode, .callback = on_device, .userdata1 = &request});
    wr_status status = wr_ctx_wait(ctx, future, &request.done);
    if (status != WR_OK) return wr_error_set(err, status, "%s", ctx->error);
    if (request.device == NULL)
        return wr_error_set(err, WR_ERROR_DEVICE, "%s: device request failed: %s", ctx->procs.name,
                            request.message);
    ctx->device = request.device;
    ctx->queue = ctx->procs.DeviceGetQueue(ctx->device);
    ctx->info.has_timestamps = timestamps;
    ctx->info.has_shader_f16 = f16;
    ctx->info.has_subgroups = has_subgroups;
    WGPULimits device_limits = WGPU_LIMITS_INIT;
    if (ctx->procs.DeviceGetLimits(ctx->device, &device_limits) == WGPUStatus_Success)
        copy_limits(&ctx->info.limits, &device_limits);
    return WR_OK;
}

static void apply_transfer_options(wr_context* ctx, const wr_context_desc* desc) {
    ctx->wait_limit_ms = desc->wait_timeout_s * 1e3;
    ctx->wait_mode = desc->wait_mode;
    size_t chunk = desc->staging_chunk_bytes ? desc->staging_chunk_bytes : WR_STAGING_CHUNK;
    ctx->staging_chunk = chunk < 4096 ? 4096 : (chunk + 3) & ~(size_t)3;
    ctx->copy_threads = wr_host_copy_threads(desc->copy_threads);
}

static wr_status open_instance(const wr_context_desc* desc, wr_context** out, wr_error* err) {
    wr_context* ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) return wr_error_set(err, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    wr_status status = wr_procs_load(&ctx->procs, desc->impl, desc->deps_dir, err);
    if (status == WR_OK) status = create_instance(ctx, err);
    if (status != WR_OK) {
        wr_context_destroy(ctx);
        return status;
    }
    *out = ctx;
    return WR_OK;
}

wr_status wr_context_create(const wr_context_desc* desc, wr_context** out, wr_error* err) {
    wr_error_clear(err);
    static const wr_context_desc defaults = {0};
    if (out == NULL) return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT, "wr_context_create: out is NULL");
    *out = NULL;
    if (desc == NULL) desc = &defaults;
    if (!(desc->wait_timeout_s >= 0) || (unsigned)desc->wait_mode > WR_WAIT_SLEEP)
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT,
                            "wr_context_create: wait_timeout_s must be >= 0 and wait_mode a wr_wait_mode");
    wr_context* ctx;
    wr_status status = open_instance(desc, &ctx, err);
    if (status != WR_OK) return status;
    apply_transfer_options(ctx, desc);
    status = choose_adapter(ctx, desc->adapter, err);
    if (status == WR_OK) {
        /* The device's own limits are filled in by create_device. */
        read_adapter_info(&ctx->procs, ctx->adapter, &ctx->info);
        status = create_device(ctx, desc, err);
    }
    if (status != WR_OK) {
        wr_context_destroy(ctx);
        return status;
    }
    *out = ctx;
    return WR_OK;
}

static void release_staging(wr_context* ctx, wr_staging* slots) {
    for (int i = 0; i < WR_STAGING_SLOTS; i++) {
        if (slots[i].buffer == NULL) continue;
        ctx->procs.BufferDestroy(slots[i].buffer);
        ctx->procs.BufferRelease(slots[i].buffer);
        slots[i] = (wr_staging){0};
    }
}

void wr_context_destroy(wr_context* ctx) {
    if (ctx == NULL) return;
    if (ctx->timed_out) {
        /* GPU work that overran is still running. Destroying the device would wait for it
         * (Dawn's teardown waits for its queue to drain, and on SwiftShader the shader keeps
         * running on CPU threads), and unloading the library would unmap the code those
         * threads run; so the WebGPU objects are leaked on purpose and the caller is told
         * (wr_context_timed_out) to end the process, which is the only way to stop the work. */
        free(ctx);
        return;
    }
    wr_kernel_cache_clear(ctx);
    release_staging(ctx, ctx->upload);
    release_staging(ctx, ctx->download);
    if (ctx->queue) ctx->procs.QueueRelease(ctx->queue);
    if (ctx->device) {
        ctx->procs.DeviceDestroy(ctx->device);
        ctx->procs.DeviceRelease(ctx->device);
    }
    if (ctx->adapter) ctx->procs.AdapterRelease(ctx->adapter);
    if (ctx->instance) {
        /* Let the implementation deliver the callbacks that destruction cancels. */
        ctx->procs.InstanceProcessEvents(ctx->instance);
        ctx->procs.InstanceRelease(ctx->instance);
    }
    wr_procs_unload(&ctx->procs);
    free(ctx);
}

wr_status wr_list_adapters(const wr_context_desc* desc, wr_adapter_info** out, size_t* count,
                           wr_error* err) {
    wr_error_clear(err);
    static const wr_context_desc defaults = {0};
    *out = NULL;
    *count = 0;
    wr_context* ctx;
    wr_status status = open_instance(desc ? desc : &defaults, &ctx, err);
    if (status != WR_OK) return status;
    WGPUAdapter adapters[WR_MAX_ADAPTERS];
    size_t n = collect_adapters(ctx, adapters, WR_MAX_ADAPTERS);
    wr_adapter_info* list = calloc(n ? n : 1, sizeof *list);
    for (size_t i = 0; i < n; i++) {
        if (list != NULL) read_adapter_info(&ctx->procs, adapters[i], &list[i]);
        ctx->procs.AdapterRelease(adapters[i]);
    }
    wr_context_destroy(ctx);
    if (list == NULL) return wr_error_set(err, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    *out = list;
    *count = n;
    return WR_OK;
}

void wr_adapter_list_free(wr_adapter_info* list) {
    free(list);
}

void wr_context_transfer_stats(const wr_context* ctx, wr_transfer_stats* out) {
    *out = ctx->stats;
}

void wr_context_reset_transfer_stats(wr_context* ctx) {
    ctx->stats = (wr_transfer_stats){0};
}
