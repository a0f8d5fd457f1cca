/* Device buffers and host transfers through reusable staging buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "context.h"
#include "host_copy.h"
#include "wait.h"

typedef enum buffer_mapping {
    MAPPING_NONE = 0,
    MAPPING_UPLOAD,
    MAPPING_DOWNLOAD,
} buffer_mapping;

struct wr_buffer {
    wr_context* ctx;
    WGPUBuffer buffer;
    size_t size;
    wr_buffer_kind kind;
    char label[WR_NAME_MAX];
    /* Zero-copy transfers (wr_buffer_map_upload/download): staging owned by this buffer. */
    buffer_mapping mapping;
    size_t map_offset, map_size;
    wr_staging direct_upload, direct_download;
};

/* Uploads smaller than this go through wgpuQueueWriteBuffer: one call, no map round trip. */
#define WR_SMALL_UPLOAD ((size_t)256 << 10)

static size_t round_up4(size_t n) {
    return (n + 3) & ~(size_t)3;
}

static const char* label_or_default(const wr_buffer* buffer) {
    return buffer->label[0] ? buffer->label : "(unnamed)";
}

static WGPUBuffer create_raw_buffer(wr_context* ctx, size_t size, WGPUBufferUsage usage,
                                    bool mapped, const char* label) {
    WGPUBufferDescriptor desc = WGPU_BUFFER_DESCRIPTOR_INIT;
    desc.label = wr_sv(label);
    desc.size = size;
    desc.usage = usage;
    desc.mappedAtCreation = mapped;
    return ctx->procs.DeviceCreateBuffer(ctx->device, &desc);
}

wr_status wr_buffer_create(wr_context* ctx, const wr_buffer_desc* desc, wr_buffer** out) {
    *out = NULL;
    const char* label = desc->label ? desc->label : "(unnamed)";
    if (desc->size == 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "buffer '%s': size is 0", label);
    size_t size = round_up4(desc->size);
    uint64_t limit = desc->kind == WR_BUFFER_UNIFORM ? ctx->info.limits.max_uniform_buffer_binding_size
                                                    : ctx->info.limits.max_buffer_size;
    if (size > limit)
        return wr_ctx_fail(ctx, WR_ERROR_LIMIT,
                           "buffer '%s': %zu bytes exceeds the device's %s of %llu bytes", label,
                           size, desc->kind == WR_BUFFER_UNIFORM ? "maxUniformBufferBindingSize" : "maxBufferSize",
                           (unsigned long long)limit);
    wr_buffer* buffer = calloc(1, sizeof *buffer);
    if (buffer == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    snprintf(buffer->label, sizeof buffer->label, "%s", label);
    WGPUBufferUsage usage = WGPUBufferUsage_CopyDst | WGPUBufferUsage_CopySrc |
                            (desc->kind == WR_BUFFER_UNIFORM ? WGPUBufferUsage_Uniform
                                                             : WGPUBufferUsage_Storage);
    wr_ctx_push_scopes(ctx);
    buffer->buffer = create_raw_buffer(ctx, size, usage, false, label);
    char message[WR_ERROR_MESSAGE_MAX - 64] = "";
    wr_status status = wr_ctx_pop_scopes(ctx, WR_ERROR_VALIDATION, message, sizeof message);
    if (status != WR_OK || buffer->buffer == NULL) {
        if (buffer->buffer) ctx->procs.BufferRelease(buffer->buffer);
        free(buffer);
        if (status == WR_OK) status = WR_ERROR_OUT_OF_MEMORY;
        return wr_ctx_fail(ctx, status, "buffer '%s' (%zu bytes): %s", label, size,
                           message[0] ? message : "creation failed");
    }
    buffer->ctx = ctx;
    buffer->size = size;
    buffer->kind = desc->kind;
    *out = buffer;
    return WR_OK;
}

static void destroy_raw(wr_context* ctx, WGPUBuffer raw) {
    if (raw == NULL) return;
    ctx->procs.BufferDestroy(raw);
    ctx->procs.BufferRelease(raw);
}

void wr_buffer_destroy(wr_buffer* buffer) {
    if (buffer == NULL) return;
    wr_context* ctx = buffer->ctx;
    /* After a timeout the GPU may still use these buffers; leave them to the leaked device. */
    if (!ctx->timed_out) {
        /* A mapping still open ends here: destroying a mapped buffer unmaps it. */
        destroy_raw(ctx, buffer->direct_upload.buffer);
        destroy_raw(ctx, buffer->direct_download.buffer);
        destroy_raw(ctx, buffer->buffer);
    }
    free(buffer);
}

size_t wr_buffer_size(const wr_buffer* buffer) {
    return buffer->size;
}

WGPUBuffer wr_buffer_handle(const wr_buffer* buffer) {
    return buffer->buffer;
}

const char* wr_buffer_label(const wr_buffer* buffer) {
    return label_or_default(buffer);
}

/* ---------------------------------------------------------------- staging */

static void on_mapped(WGPUMapAsyncStatus status, WGPUStringView message, void* userdata1,
                      void* userdata2) {
    (void)message, (void)userdata2;
    wr_staging* slot = userdata1;
    slot->map_status = status;
    slot->map_done = true;
}

static void begin_map(wr_context* ctx, wr_staging* slot, WGPUMapMode mode, size_t size) {
    slot->map_done = false;
    slot->map_pending = true;
    slot->map_future = ctx->procs.BufferMapAsync(
        slot->buffer, mode, 0, size,
        (WGPUBufferMapCallbackInfo){
            .mode = ctx->callback_mode, .callback = on_mapped, .userdata1 = slot});
}

static wr_status finish_map(wr_context* ctx, wr_staging* slot) {
    if (!slot->map_pending) return WR_OK;
    double start = wr_now_ms();
    wr_status status = wr_ctx_wait(ctx, slot->map_future, &slot->map_done);
    ctx->stats.map_wait_ms += wr_now_ms() - start;
    slot->map_pending = false;
    if (status != WR_OK) return status;
    if (slot->map_status != WGPUMapAsyncStatus_Success) {
        status = wr_ctx_take_async_error(ctx);
        return status != WR_OK ? status
                               : wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "mapping a staging buffer failed (status %d)",
                                             (int)slot->map_status);
    }
    slot->mapped = true;
    return WR_OK;
}

/* Makes `slot` at least `size` bytes; new upload slots start mapped, so no round trip. */
static wr_status ensure_staging(wr_context* ctx, wr_staging* slot, size_t size, bool for_upload) {
    if (slot->buffer != NULL && slot->size >= size) return WR_OK;
    if (slot->buffer != NULL) {
        if (slot->map_pending) (void)finish_map(ctx, slot);
        ctx->procs.BufferDestroy(slot->buffer);
        ctx->procs.BufferRelease(slot->buffer);
    }
    *slot = (wr_staging){0};
    WGPUBufferUsage usage = for_upload ? WGPUBufferUsage_MapWrite | WGPUBufferUsage_CopySrc
                                       : WGPUBufferUsage_MapRead | WGPUBufferUsage_CopyDst;
    slot->buffer = create_raw_buffer(ctx, size, usage, for_upload, "wgslrun staging");
    if (slot->buffer == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "cannot create a %zu-byte staging buffer", size);
    slot->size = size;
    slot->mapped = for_upload;
    return WR_OK;
}

static size_t staging_size_for(const wr_context* ctx, size_t transfer) {
    return transfer < ctx->staging_chunk ? round_up4(transfer) : ctx->staging_chunk;
}

static wr_status check_range(wr_context* ctx, const wr_buffer* buffer, size_t offset, size_t size,
                             const char* what) {
    if (offset % 4 != 0 || size % 4 != 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                           "%s of buffer '%s': offset %zu and size %zu must be multiples of 4", what,
                           label_or_default(buffer), offset, size);
    if (offset > buffer->size || size > buffer->size - offset)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                           "%s of buffer '%s': range [%zu, %zu) exceeds its %zu bytes", what,
                           label_or_default(buffer), offset, offset + size, buffer->size);
    return WR_OK;
}

static const char* mapping_name(buffer_mapping mapping) {
    return mapping == MAPPING_UPLOAD ? "wr_buffer_map_upload" : "wr_buffer_map_download";
}

static wr_status check_unmapped(wr_context* ctx, const wr_buffer* buffer, const char* what) {
    if (buffer->mapping == MAPPING_NONE) return WR_OK;
    return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                       "%s of buffer '%s': it is mapped by %s; %s it first", what,
                       label_or_default(buffer), mapping_name(buffer->mapping),
                       buffer->mapping == MAPPING_UPLOAD ? "commit (wr_buffer_commit_upload)"
                                                         : "release (wr_buffer_release_download)");
}

static void submit_copy(wr_context* ctx, WGPUBuffer src, size_t src_offset, WGPUBuffer dst,
                        size_t dst_offset, size_t size) {
    ctx->stats.chunks++;
    WGPUCommandEncoder encoder = ctx->procs.DeviceCreateCommandEncoder(ctx->device, NULL);
    ctx->procs.CommandEncoderCopyBufferToBuffer(encoder, src, src_offset, dst, dst_offset, size);
    WGPUCommandBuffer commands = ctx->procs.CommandEncoderFinish(encoder, NULL);
    ctx->procs.QueueSubmit(ctx->queue, 1, &commands);
    ctx->procs.CommandBufferRelease(commands);
    ctx->procs.CommandEncoderRelease(encoder);
}

/* ---------------------------------------------------------------- upload */

static wr_status upload_chunk(wr_context* ctx, wr_staging* slot, wr_buffer* buffer, size_t offset,
                              const void* data, size_t size) {
    wr_status status = ensure_staging(ctx, slot, size, true);
    if (status == WR_OK && !slot->mapped) {
        if (!slot->map_pending) begin_map(ctx, slot, WGPUMapMode_Write, slot->size);
        status = finish_map(ctx, slot);
    }
    if (status != WR_OK) return status;
    /* Only the bytes used: in the wasm32 build a mapped range is a real copy. */
    void* mapped = ctx->procs.BufferGetMappedRange(slot->buffer, 0, round_up4(size));
    if (mapped == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "staging buffer has no mapped range");
    double start = wr_now_ms();
    wr_host_copy(mapped, data, size, ctx->copy_threads);
    double copied = wr_now_ms();
    ctx->stats.host_copy_ms += copied - start;
    ctx->stats.upload_bytes += (double)size;
    ctx->procs.BufferUnmap(slot->buffer);
    slot->mapped = false;
    submit_copy(ctx, slot->buffer, 0, buffer->buffer, offset, size);
    /* Re-map now so the next transfer through this slot finds it ready. */
    begin_map(ctx, slot, WGPUMapMode_Write, slot->size);
    ctx->stats.submit_ms += wr_now_ms() - copied;
    return WR_OK;
}

wr_status wr_buffer_upload(wr_context* ctx, wr_buffer* buffer, size_t offset, const void* data,
                           size_t size) {
    wr_status status = check_range(ctx, buffer, offset, size, "upload");
    if (status == WR_OK) status = check_unmapped(ctx, buffer, "upload");
    if (status != WR_OK || size == 0) return status;
    if (size < WR_SMALL_UPLOAD) {
        ctx->procs.QueueWriteBuffer(ctx->queue, buffer->buffer, offset, data, size);
        return wr_ctx_take_async_error(ctx);
    }
    size_t chunk = staging_size_for(ctx, size);
    const unsigned char* bytes = data;
    if (ctx->lost) return wr_ctx_take_async_error(ctx);
    for (size_t done = 0, i = 0; done < size && status == WR_OK; done += chunk, i++) {
        size_t n = size - done < chunk ? size - done : chunk;
        status = upload_chunk(ctx, &ctx->upload[i % WR_STAGING_SLOTS], buffer, offset + done,
                              bytes + done, n);
    }
    return status != WR_OK ? status : wr_ctx_take_async_error(ctx);
}

/* ---------------------------------------------------------------- download */

static wr_status read_slot(wr_context* ctx, wr_staging* slot, void* dst, size_t size) {
    wr_status status = finish_map(ctx, slot);
    if (status != WR_OK) return status;
    const void* mapped = ctx->procs.BufferGetConstMappedRange(slot->buffer, 0, round_up4(size));
    if (mapped == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "staging buffer has no mapped range");
    double start = wr_now_ms();
    wr_host_copy(dst, mapped, size, ctx->copy_threads);
    ctx->stats.host_copy_ms += wr_now_ms() - start;
    ctx->stats.download_bytes += (double)size;
    ctx->procs.BufferUnmap(slot->buffer);
    slot->mapped = false;
    return WR_OK;
}

static wr_status start_download_chunk(wr_context* ctx, wr_staging* slot, wr_buffer* buffer,
                                      size_t offset, size_t size, size_t staging_size) {
    wr_status status = ensure_staging(ctx, slot, staging_size, false);
    if (status != WR_OK) return status;
    double start = wr_now_ms();
    submit_copy(ctx, buffer->buffer, offset, slot->buffer, 0, size);
    begin_map(ctx, slot, WGPUMapMode_Read, slot->size);
    ctx->stats.submit_ms += wr_now_ms() - start;
    return WR_OK;
}

wr_status wr_buffer_download(wr_context* ctx, wr_buffer* buffer, size_t offset, void* data,
                             size_t size) {
    wr_status status = check_range(ctx, buffer, offset, size, "download");
    if (status == WR_OK) status = check_unmapped(ctx, buffer, "download");
    if (status != WR_OK || size == 0) return status;
    size_t chunk = staging_size_for(ctx, size);
    size_t chunks = (size + chunk - 1) / chunk;
    unsigned char* bytes = data;
    if (ctx->lost) return wr_ctx_take_async_error(ctx);
    /* Two copies in flight: the GPU fills one slot while the host drains the other. */
    for (size_t i = 0; i < chunks && i < WR_STAGING_SLOTS && status == WR_OK; i++) {
        size_t n = size - i * chunk < chunk ? size - i * chunk : chunk;
        status = start_download_chunk(ctx, &ctx->download[i], buffer, offset + i * chunk, n, chunk);
    }
    for (size_t i = 0; i < chunks && status == WR_OK; i++) {
        wr_staging* slot = &ctx->download[i % WR_STAGING_SLOTS];
        size_t n = size - i * chunk < chunk ? size - i * chunk : chunk;
        status = read_slot(ctx, slot, bytes + i * chunk, n);
        size_t next = i + WR_STAGING_SLOTS;
        if (status == WR_OK && next < chunks) {
            size_t m = size - next * chunk < chunk ? size - next * chunk : chunk;
            status = start_download_chunk(ctx, slot, buffer, offset + next * chunk, m, chunk);
        }
    }
    /* A chunk that failed may leave its sibling's map pending; settle it before returning. */
    for (int i = 0; i < WR_STAGING_SLOTS; i++)
        if (ctx->download[i].map_pending) {
            (void)finish_map(ctx, &ctx->download[i]);
            if (ctx->download[i].mapped) ctx->procs.BufferUnmap(ctx->download[i].buffer);
            ctx->download[i].mapped = false;
        }
    return status != WR_OK ? status : wr_ctx_take_async_error(ctx);
}

/* ---------------------------------------------------------------- zero-copy mappings */

static wr_status check_mappable(wr_context* ctx, wr_buffer* buffer, size_t offset, size_t size,
                                const char* what, void** ptr) {
    if (ptr == NULL) return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "%s: ptr is NULL", what);
    *ptr = NULL;
    if (buffer == NULL) return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "%s: buffer is NULL", what);
    if (buffer->mapping != MAPPING_NONE)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "%s of buffer '%s': it is already mapped by %s",
                           what, label_or_default(buffer), mapping_name(buffer->mapping));
    if (size == 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "%s of buffer '%s': size is 0", what,
                           label_or_default(buffer));
    wr_status status = check_range(ctx, buffer, offset, size, what);
    if (status == WR_OK && ctx->lost) status = wr_ctx_take_async_error(ctx);
    return status;
}

/* Maps the buffer's own staging slot and returns its range, waiting for an earlier copy
 * through it to finish. */
static wr_status map_direct(wr_context* ctx, wr_staging* slot, size_t size, bool for_upload, void** ptr) {
    if (!slot->mapped) {
        if (!slot->map_pending)
            begin_map(ctx, slot, for_upload ? WGPUMapMode_Write : WGPUMapMode_Read, slot->size);
        wr_status status = finish_map(ctx, slot);
        if (status != WR_OK) return status;
    }
    *ptr = for_upload ? ctx->procs.BufferGetMappedRange(slot->buffer, 0, size)
                      : (void*)ctx->procs.BufferGetConstMappedRange(slot->buffer, 0, size);
    if (*ptr == NULL) {
        ctx->procs.BufferUnmap(slot->buffer);
        slot->mapped = false;
        return wr_ctx_fail(ctx, WR_ERROR_INTERNAL, "staging buffer has no mapped range");
    }
    return WR_OK;
}

wr_status wr_buffer_map_upload(wr_context* ctx, wr_buffer* buffer, size_t offset, size_t size, void** ptr) {
    wr_status status = check_mappable(ctx, buffer, offset, size, "wr_buffer_map_upload", ptr);
    if (status == WR_OK) status = ensure_staging(ctx, &buffer->direct_upload, size, true);
    if (status == WR_OK) status = map_direct(ctx, &buffer->direct_upload, size, true, ptr);
    if (status != WR_OK) return status;
    buffer->mapping = MAPPING_UPLOAD;
    buffer->map_offset = offset;
    buffer->map_size = size;
    return WR_OK;
}

/* Ends a mapping of `kind`, or says why there is none to end. */
static wr_status end_mapping(wr_context* ctx, wr_buffer* buffer, buffer_mapping kind, const char* what) {
    bool up = kind == MAPPING_UPLOAD;
    if (buffer == NULL || buffer->mapping != kind)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                           "%s of buffer '%s': it is not mapped for %s (map it with %s; each mapping is "
                           "%s once)",
                           what, buffer ? label_or_default(buffer) : "(null)", up ? "upload" : "download",
                           mapping_name(kind), up ? "committed" : "released");
    wr_staging* slot = up ? &buffer->direct_upload : &buffer->direct_download;
    ctx->procs.BufferUnmap(slot->buffer);
    slot->mapped = false;
    buffer->mapping = MAPPING_NONE;
    return WR_OK;
}

wr_status wr_buffer_commit_upload(wr_context* ctx, wr_buffer* buffer) {
    wr_status status = end_mapping(ctx, buffer, MAPPING_UPLOAD, "wr_buffer_commit_upload");
    if (status != WR_OK) return status;
    wr_staging* slot = &buffer->direct_upload;
    ctx->stats.upload_bytes += (double)buffer->map_size;
    double start = wr_now_ms();
    submit_copy(ctx, slot->buffer, 0, buffer->buffer, buffer->map_offset, buffer->map_size);
    ctx->stats.submit_ms += wr_now_ms() - start;
    /* The next map_upload re-maps, which waits for this copy: the slot is not re-mapped here,
     * so no callback can be pending into this buffer when it is destroyed. */
    return wr_ctx_take_async_error(ctx);
}

wr_status wr_buffer_map_download(wr_context* ctx, wr_buffer* buffer, size_t offset, size_t size,
                                 const void** ptr) {
    if (ptr == NULL) return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "wr_buffer_map_download: ptr is NULL");
    *ptr = NULL;
    void* mapped = NULL;
    wr_status status = check_mappable(ctx, buffer, offset, size, "wr_buffer_map_download", &mapped);
    if (status != WR_OK) return status;
    wr_staging* slot = &buffer->direct_download;
    status = ensure_staging(ctx, slot, size, false);
    if (status != WR_OK) return status;
    double start = wr_now_ms();
    submit_copy(ctx, buffer->buffer, offset, slot->buffer, 0, size);
    ctx->stats.submit_ms += wr_now_ms() - start;
    status = map_direct(ctx, slot, size, false, &mapped);
    if (status != WR_OK) return status;
    ctx->stats.download_bytes += (double)size;
    buffer->mapping = MAPPING_DOWNLOAD;
    buffer->map_offset = offset;
    buffer->map_size = size;
    *ptr = mapped;
    return WR_OK;
}

wr_status wr_buffer_release_download(wr_context* ctx, wr_buffer* buffer) {
    return end_mapping(ctx, buffer, MAPPING_DOWNLOAD, "wr_buffer_release_download");
}
