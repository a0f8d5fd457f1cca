/* A context's lifetime: the implementation loaded, its instance created with the resolved
 * settings, an adapter chosen and a device created on it (context_*.c), and all of it
 * released again. */
#include "context.h"

#include <stdlib.h>

#include "kernel_cache.h"

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

/* Before anything waits: the adapter request already honours the time limit. */
static void apply_settings(wr_context* ctx, const wr_context_desc* desc) {
    ctx->wait_limit_ms = desc->wait_timeout_s * 1e3;
    ctx->wait_mode = desc->wait_mode;
    ctx->staging_chunk = desc->staging_chunk_bytes;
    ctx->copy_threads = desc->copy_threads;
}

wr_status wr_ctx_open_instance(const wr_context_desc* desc, wr_context** out, wr_error* err) {
    wr_context* ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) return wr_error_set(err, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    apply_settings(ctx, desc);
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
    if (out == NULL) return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT, "wr_context_create: out is NULL");
    *out = NULL;
    wr_context_desc settings = wr_context_desc_defaults(desc);
    wr_status status = wr_ctx_check_desc(&settings, err);
    wr_context* ctx;
    if (status == WR_OK) status = wr_ctx_open_instance(&settings, &ctx, err);
    if (status != WR_OK) return status;
    status = wr_ctx_choose_adapter(ctx, settings.adapter, err);
    if (status == WR_OK) {
        /* The device's own fields are filled in by wr_ctx_create_device. */
        wr_ctx_read_adapter_info(&ctx->procs, ctx->adapter, &ctx->info);
        status = wr_ctx_create_device(ctx, &settings, err);
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

void wr_context_transfer_stats(const wr_context* ctx, wr_transfer_stats* out) {
    *out = ctx->stats;
}

void wr_context_reset_transfer_stats(wr_context* ctx) {
    ctx->stats = (wr_transfer_stats){0};
}
