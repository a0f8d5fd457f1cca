/* Adapters: requesting the default one, enumerating all of them, and choosing the one a
 * caller names (by index or name), for wr_context_create and wr_list_adapters. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"

#define WR_MAX_ADAPTERS 16

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

static size_t enumerate_adapters(wr_context* ctx, WGPUAdapter* out, size_t capacity) {
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

/* Every adapter the implementation offers, at most `capacity`, in a stable order; the caller
 * releases them. wgpu-native enumerates; Dawn's C API only answers requests, so the default adapter and the
 * fallback are asked for in turn (the fallback is kept when it is another device). */
static size_t collect_adapters(wr_context* ctx, WGPUAdapter* out, size_t capacity) {
    if (ctx->procs.InstanceEnumerateAdapters != NULL) return enumerate_adapters(ctx, out, capacity);
    char message[512];
    size_t n = 0;
    WGPUAdapter first = request_adapter(ctx, WGPUBackendType_Undefined, false, message, sizeof message);
    if (first != NULL && n < capacity) out[n++] = first;
    WGPUAdapter fallback = request_adapter(ctx, WGPUBackendType_Undefined, true, message, sizeof message);
    if (fallback != NULL && n < capacity) {
        wr_adapter_info a, b;
        if (first != NULL) wr_ctx_read_adapter_info(&ctx->procs, first, &a);
        wr_ctx_read_adapter_info(&ctx->procs, fallback, &b);
        if (first == NULL || strcmp(a.device, b.device) != 0 || strcmp(a.backend, b.backend) != 0)
            out[n++] = fallback;
        else
            ctx->procs.AdapterRelease(fallback);
    }
    return n;
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

static bool is_null_backend(const wr_procs* procs, WGPUAdapter adapter) {
    wr_adapter_info info;
    wr_ctx_read_adapter_info(procs, adapter, &info);
    return strcmp(info.backend, "null") == 0;
}

static wr_status choose_default_adapter(wr_context* ctx, wr_error* err) {
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

static bool adapter_matches(const wr_adapter_info* info, size_t index, const char* wanted) {
    if (all_digits(wanted)) return (size_t)atoi(wanted) == index;
    return contains_case_insensitive(info->device, wanted) ||
           contains_case_insensitive(info->description, wanted) ||
           contains_case_insensitive(info->backend, wanted);
}

wr_status wr_ctx_choose_adapter(wr_context* ctx, const char* wanted, wr_error* err) {
    if (wanted == NULL || wanted[0] == '\0') return choose_default_adapter(ctx, err);
    WGPUAdapter adapters[WR_MAX_ADAPTERS];
    size_t n = collect_adapters(ctx, adapters, WR_MAX_ADAPTERS);
    char names[1024] = "";
    for (size_t i = 0; i < n; i++) {
        wr_adapter_info info;
        wr_ctx_read_adapter_info(&ctx->procs, adapters[i], &info);
        if (adapter_matches(&info, i, wanted) && ctx->adapter == NULL) ctx->adapter = adapters[i];
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

wr_status wr_list_adapters(const wr_context_desc* desc, wr_adapter_info** out, size_t* count,
                           wr_error* err) {
    wr_error_clear(err);
    *out = NULL;
    *count = 0;
    wr_context_desc settings = wr_context_desc_defaults(desc);
    wr_status status = wr_ctx_check_desc(&settings, err);
    wr_context* ctx;
    if (status == WR_OK) status = wr_ctx_open_instance(&settings, &ctx, err);
    if (status != WR_OK) return status;
    WGPUAdapter adapters[WR_MAX_ADAPTERS];
    size_t n = collect_adapters(ctx, adapters, WR_MAX_ADAPTERS);
    wr_adapter_info* list = calloc(n ? n : 1, sizeof *list);
    for (size_t i = 0; i < n; i++) {
        if (list != NULL) wr_ctx_read_adapter_info(&ctx->procs, adapters[i], &list[i]);
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
