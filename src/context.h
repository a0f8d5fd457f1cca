/* Internal: the context shared by buffers, kernels and batches. */
#ifndef WGSLRUN_SRC_CONTEXT_H
#define WGSLRUN_SRC_CONTEXT_H

#include "error.h"
#include "procs.h"
#include "wgslrun.h"

#define WR_STAGING_SLOTS 2

/* A host-visible buffer reused for transfers, so steady-state uploads and downloads
 * allocate nothing. */
typedef struct wr_staging {
    WGPUBuffer buffer;
    size_t size;
    bool mapped;              /* host may write/read the mapped range now */
    bool map_pending;         /* a mapAsync was issued and has not been waited for */
    bool map_done;            /* set by the map callback */
    WGPUMapAsyncStatus map_status;
    WGPUFuture map_future;
} wr_staging;

typedef struct wr_pipeline_entry wr_pipeline_entry;

struct wr_context {
    wr_procs procs;
    WGPUInstance instance;
    WGPUAdapter adapter;
    WGPUDevice device;
    WGPUQueue queue;
    WGPUCallbackMode callback_mode;
    wr_adapter_info info;
    char error[WR_ERROR_MESSAGE_MAX];
    /* Filled by the uncaptured-error and device-lost callbacks, read after each wait. */
    char async_error[WR_ERROR_MESSAGE_MAX];
    wr_status async_status;
    bool lost;
    /* A wait ran past its limit: GPU work may still be running, so destruction must not
     * wait for it (wr_context_destroy skips the WebGPU teardown). */
    bool timed_out;
    /* From the settings wr_context_desc_defaults resolved. */
    double wait_limit_ms;
    wr_wait_mode wait_mode;
    void (*log)(void* user, const char* message); /* wr_context_desc.log, when Dawn logs */
    void* log_user;
    size_t staging_chunk;     /* bytes per staging chunk of a transfer */
    uint32_t copy_threads;
    wr_transfer_stats stats;
    wr_staging upload[WR_STAGING_SLOTS];
    wr_staging download[WR_STAGING_SLOTS];
    wr_pipeline_entry* pipelines;    /* compiled-kernel cache */
};

/* Context creation, by concern: the settings (context_desc.c), the adapter
 * (context_adapter.c), what it reports (context_info.c) and the device (context_device.c);
 * context.c opens and destroys the whole. */

/* WR_ERROR_INVALID_ARGUMENT for settings no default can stand for. */
wr_status wr_ctx_check_desc(const wr_context_desc* desc, wr_error* err);
/* A context holding just the loaded implementation and its instance, set up with `desc`
 * (resolved by wr_context_desc_defaults); destroy it with wr_context_destroy. */
wr_status wr_ctx_open_instance(const wr_context_desc* desc, wr_context** out, wr_error* err);
/* Picks ctx->adapter: `wanted` as wr_context_desc.adapter describes it. wr_list_adapters is
 * in the same file. */
wr_status wr_ctx_choose_adapter(wr_context* ctx, const char* wanted, wr_error* err);
/* The feature value to request for `feature` on this adapter, or 0 when it lacks it. */
WGPUFeatureName wr_ctx_adapter_feature(const wr_procs* procs, WGPUAdapter adapter, WGPUFeatureName feature);
/* What `adapter` is and supports; the device fields (has_*, limits) stay zero. */
void wr_ctx_read_adapter_info(const wr_procs* procs, WGPUAdapter adapter, wr_adapter_info* info);
/* The device's limits in wgslrun's terms. */
void wr_ctx_copy_limits(wr_limits* out, const WGPULimits* in);
/* Creates ctx->device and ctx->queue on ctx->adapter with the features and limits `desc`
 * asks for, and fills the device fields of ctx->info. */
wr_status wr_ctx_create_device(wr_context* ctx, const wr_context_desc* desc, wr_error* err);

/* Records the context's last error and returns `status`. */
wr_status wr_ctx_fail(wr_context* ctx, wr_status status, const char* fmt, ...) WR_PRINTF(3, 4);
/* Turns an error reported by a WebGPU callback since the last call into a status. */
wr_status wr_ctx_take_async_error(wr_context* ctx);

/* Waits until `*done` is set by a callback registered for `future`. */
wr_status wr_ctx_wait(wr_context* ctx, WGPUFuture future, const bool* done);
/* Waits until everything submitted to the queue has finished. */
wr_status wr_ctx_wait_queue(wr_context* ctx);

/* Points the device's lost and uncaptured-error callbacks at ctx's asynchronous error. */
void wr_ctx_route_device_errors(wr_context* ctx, WGPUDeviceDescriptor* device_desc);

/* Error scopes around a group of WebGPU calls whose failure must be reported synchronously. */
void wr_ctx_push_scopes(wr_context* ctx);
wr_status wr_ctx_pop_scopes(wr_context* ctx, wr_status status_on_error, char* message,
                            size_t message_size);

WGPUStringView wr_sv(const char* s);
void wr_sv_copy(char* dst, size_t dst_size, WGPUStringView sv);

#endif
