/* Dispatch: binding validation, workgroup counts, batches of dispatches in one submission,
 * and GPU timing with timestamp queries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "context.h"
#include "kernel_cache.h"
#include "texture.h"
#include "wait.h"

typedef struct recorded_dispatch {
    WGPUComputePipeline pipeline;
    WGPUBindGroup groups[WR_MAX_GROUPS];
    uint32_t workgroups[3];
} recorded_dispatch;

struct wr_batch {
    wr_context* ctx;
    wr_batch_desc desc;
    recorded_dispatch* items;
    size_t count, capacity;
    WGPUQuerySet timestamps;     /* two queries: start of the first pass, end of the last */
    WGPUBuffer resolve_buffer;
    WGPUBuffer readback_buffer;
};

#define WR_TIMESTAMP_BYTES 16

/* ---------------------------------------------------------------- workgroup counts */

static uint64_t div_ceil(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

static wr_status counts_from_problem(wr_context* ctx, const wr_dispatch_desc* desc, uint32_t out[3]) {
    uint32_t wg[3];
    wr_kernel_workgroup_size(desc->kernel, wg);
    uint64_t limit = ctx->info.limits.max_compute_workgroups_per_dimension;
    uint64_t counts[3];
    for (int d = 0; d < 3; d++) {
        uint64_t n = desc->problem_size[d] ? desc->problem_size[d] : 1;
        counts[d] = div_ceil(n, wg[d]);
    }
    /* A 1D problem beyond the per-dimension limit is folded into y (and z), balanced so the
     * grid has barely more workgroups than needed: (limit, 2) for limit + 1 would launch
     * almost twice the work. */
    if (counts[0] > limit && counts[1] == 1 && counts[2] == 1) {
        uint64_t total = counts[0];
        uint64_t rows = div_ceil(total, limit);
        counts[2] = div_ceil(rows, limit);
        counts[1] = div_ceil(rows, counts[2]);
        counts[0] = div_ceil(total, counts[1] * counts[2]);
    }
    for (int d = 0; d < 3; d++) {
        if (counts[d] > limit)
            return wr_ctx_fail(ctx, WR_ERROR_LIMIT,
                               "kernel '%s': problem size needs %llu workgroups in dimension %c, "
                               "over the device limit of %llu",
                               wr_kernel_entry(desc->kernel)->name, (unsigned long long)counts[d],
                               "xyz"[d], (unsigned long long)limit);
        out[d] = (uint32_t)counts[d];
    }
    return WR_OK;
}

wr_status wr_dispatch_resolve(wr_context* ctx, const wr_dispatch_desc* desc, uint32_t out[3]) {
    if (desc == NULL || desc->kernel == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "dispatch without a kernel");
    bool explicit_counts = desc->workgroups[0] || desc->workgroups[1] || desc->workgroups[2];
    bool has_problem = desc->problem_size[0] || desc->problem_size[1] || desc->problem_size[2];
    if (explicit_counts && has_problem)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                           "kernel '%s': give workgroup counts or a problem size, not both",
                           wr_kernel_entry(desc->kernel)->name);
    if (!explicit_counts) {
        if (!has_problem)
            return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                               "kernel '%s': no workgroup counts and no problem size",
                               wr_kernel_entry(desc->kernel)->name);
        return counts_from_problem(ctx, desc, out);
    }
    uint32_t limit = ctx->info.limits.max_compute_workgroups_per_dimension;
    for (int d = 0; d < 3; d++) {
        out[d] = desc->workgroups[d] ? desc->workgroups[d] : 1;
        if (out[d] > limit)
            return wr_ctx_fail(ctx, WR_ERROR_LIMIT,
                               "kernel '%s': %u workgroups in dimension %c exceed the device limit of %u",
                               wr_kernel_entry(desc->kernel)->name, out[d], "xyz"[d], limit);
    }
    return WR_OK;
}

/* ---------------------------------------------------------------- bindings */

/* By index, the resource the entry point uses comes first: several may share a slot when each
 * belongs to a different entry point. */
static const wr_binding_info* declared_binding(const wr_shader_info* shader, const bool* used,
                                               const wr_binding* b) {
    for (int unused_too = 0; unused_too < 2; unused_too++)
        for (size_t i = 0; i < shader->binding_count; i++) {
            const wr_binding_info* d = &shader->bindings[i];
            if (b->name != NULL ? strcmp(d->name, b->name) == 0
                                : d->group == b->group && d->binding == b->index && (unused_too || used[i]))
                return d;
        }
    return NULL;
}

static void describe(const wr_binding* b, char* out, size_t size) {
    if (b->name) snprintf(out, size, "'%s'", b->name);
    else snprintf(out, size, "@group(%u) @binding(%u)", b->group, b->index);
}

static wr_status check_binding(wr_context* ctx, const char* kernel_name, const wr_binding* b,
                               const wr_binding_info* d, size_t bound_size) {
    if (b->buffer == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_BINDING, "kernel '%s': binding '%s' has no buffer", kernel_name,
                           d->name);
    if (d->space == WR_SPACE_OTHER)
        return wr_ctx_fail(ctx, WR_ERROR_BINDING,
                           "kernel '%s': binding '%s' (line %u) is not a storage or uniform buffer",
                           kernel_name, d->name, d->line);
    if (bound_size < d->min_size)
        return wr_ctx_fail(ctx, WR_ERROR_BINDING,
                           "kernel '%s': binding '%s' (line %u, %s) needs at least %zu bytes, buffer "
                           "'%s' provides %zu",
                           kernel_name, d->name, d->line, d->type_text, d->min_size,
                           wr_buffer_label(b->buffer), bound_size);
    uint64_t limit = d->space == WR_SPACE_UNIFORM ? ctx->info.limits.max_uniform_buffer_binding_size
                                                 : ctx->info.limits.max_storage_buffer_binding_size;
    if (bound_size > limit)
        return wr_ctx_fail(ctx, WR_ERROR_LIMIT,
                           "kernel '%s': binding '%s' is %zu bytes, over the device's max%sBufferBindingSize of %llu",
                           kernel_name, d->name, bound_size,
                           d->space == WR_SPACE_UNIFORM ? "Uniform" : "Storage", (unsigned long long)limit);
    return WR_OK;
}

static size_t bound_size_of(const wr_binding* b) {
    size_t total = wr_buffer_size(b->buffer);
    if (b->offset >= total) return 0;
    return b->size ? b->size : total - b->offset;
}

/* Buffers, textures and samplers: what wgslrun can bind, so an entry point needs it bound. */
static bool bindable(const wr_binding_info* d) {
    return d->space != WR_SPACE_OTHER || (d->resource != WR_RESOURCE_BUFFER && d->resource != WR_RESOURCE_OTHER);
}

static wr_status binding_entry(wr_context* ctx, const char* kernel, const wr_binding* b, const wr_binding_info* d,
                               WGPUBindGroupEntry* out) {
    if (d->resource != WR_RESOURCE_BUFFER) return wr_resource_binding_entry(ctx, kernel, b, d, out);
    size_t size = b->buffer ? bound_size_of(b) : 0;
    *out = (WGPUBindGroupEntry){.binding = d->binding, .buffer = b->buffer ? wr_buffer_handle(b->buffer) : NULL,
                                .offset = b->offset, .size = size};
    return check_binding(ctx, kernel, b, d, size);
}

/* Matches the caller's bindings to the entry point's and builds one entry list per group. */
static wr_status collect_entries(wr_context* ctx, const wr_dispatch_desc* desc,
                                 WGPUBindGroupEntry entries[WR_MAX_GROUPS][64], size_t counts[WR_MAX_GROUPS]) {
    struct wr_pipeline_entry* kernel = wr_kernel_pipeline(desc->kernel);
    const wr_shader_info* shader = &kernel->shader;
    const char* name = kernel->entry.name;
    bool* provided = calloc(shader->binding_count + 1, sizeof(bool));
    if (provided == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    wr_status status = WR_OK;
    for (size_t i = 0; i < desc->binding_count && status == WR_OK; i++) {
        const wr_binding* b = &desc->bindings[i];
        const wr_binding_info* d = declared_binding(shader, kernel->binding_used, b);
        char what[96];
        describe(b, what, sizeof what);
        if (d == NULL) {
            status = wr_ctx_fail(ctx, WR_ERROR_BINDING, "kernel '%s': the shader declares no binding %s",
                                 name, what);
            break;
        }
        size_t index = (size_t)(d - shader->bindings);
        if (provided[index]) {
            status = wr_ctx_fail(ctx, WR_ERROR_BINDING, "kernel '%s': binding '%s' is bound twice", name, d->name);
            break;
        }
        provided[index] = true;
        WGPUBindGroupEntry entry;
        status = binding_entry(ctx, name, b, d, &entry);
        /* Automatic layouts hold only what the entry point uses; the rest is dropped. */
        if (status != WR_OK || !kernel->binding_used[index]) continue;
        if (d->group >= WR_MAX_GROUPS || counts[d->group] >= 64) {
            status = wr_ctx_fail(ctx, WR_ERROR_LIMIT, "kernel '%s': binding '%s' is outside the supported groups",
                                 name, d->name);
            break;
        }
        entries[d->group][counts[d->group]++] = entry;
    }
    for (size_t i = 0; i < shader->binding_count && status == WR_OK; i++) {
        const wr_binding_info* d = &shader->bindings[i];
        if (kernel->binding_used[i] && !provided[i] && bindable(d))
            status = wr_ctx_fail(ctx, WR_ERROR_BINDING,
                                 "kernel '%s': binding '%s' (@group(%u) @binding(%u), line %u) is not bound",
                                 name, d->name, d->group, d->binding, d->line);
        else if (kernel->binding_used[i] && d->resource == WR_RESOURCE_OTHER)
            status = wr_ctx_fail(ctx, WR_ERROR_UNSUPPORTED,
                                 "kernel '%s': binding '%s' (line %u) is %s: wgslrun binds buffers, "
                                 "texture_2d<T>, texture_storage_2d<F, A> and sampler only",
                                 name, d->name, d->line, d->type_text);
    }
    free(provided);
    return status;
}

/* Replaces a bind-group rejection with the texture binding that explains it, if one does. */
static wr_status explain_group_error(wr_context* ctx, const wr_dispatch_desc* desc, wr_status status) {
    struct wr_pipeline_entry* kernel = wr_kernel_pipeline(desc->kernel);
    for (size_t i = 0; i < desc->binding_count; i++) {
        const wr_binding_info* d = declared_binding(&kernel->shader, kernel->binding_used, &desc->bindings[i]);
        if (d != NULL && wr_texture_explain_group_error(ctx, kernel->entry.name, &desc->bindings[i], d))
            return WR_ERROR_UNSUPPORTED;
    }
    return status;
}

static wr_status create_groups(wr_context* ctx, const wr_dispatch_desc* desc, WGPUBindGroup groups[WR_MAX_GROUPS]) {
    WGPUBindGroupEntry(*entries)[64] = calloc(WR_MAX_GROUPS, sizeof *entries);
    if (entries == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    size_t counts[WR_MAX_GROUPS] = {0};
    wr_status status = collect_entries(ctx, desc, entries, counts);
    if (status != WR_OK) {
        free(entries);
        return status;
    }
    struct wr_pipeline_entry* kernel = wr_kernel_pipeline(desc->kernel);
    char message[WR_ERROR_MESSAGE_MAX - 64] = "";
    wr_ctx_push_scopes(ctx);
    for (uint32_t g = 0; g < WR_MAX_GROUPS; g++) {
        if (counts[g] == 0) continue;
        WGPUBindGroupDescriptor group_desc = WGPU_BIND_GROUP_DESCRIPTOR_INIT;
        group_desc.layout = wr_kernel_layout(ctx, kernel, g);
        group_desc.entryCount = counts[g];
        group_desc.entries = entries[g];
        groups[g] = ctx->procs.DeviceCreateBindGroup(ctx->device, &group_desc);
    }
    status = wr_ctx_pop_scopes(ctx, WR_ERROR_BINDING, message, sizeof message);
    free(entries);
    if (status != WR_OK) {
        status = wr_ctx_fail(ctx, status, "kernel '%s': bind group rejected: %s", kernel->entry.name, message);
        status = explain_group_error(ctx, desc, status);
    }
    return status;
}

/* ---------------------------------------------------------------- batches */

static wr_status create_timing_resources(wr_context* ctx, wr_batch* batch) {
    WGPUQuerySetDescriptor query_desc = WGPU_QUERY_SET_DESCRIPTOR_INIT;
    query_desc.type = WGPUQueryType_Timestamp;
    query_desc.count = 2;
    batch->timestamps = ctx->procs.DeviceCreateQuerySet(ctx->device, &query_desc);
    WGPUBufferDescriptor resolve = WGPU_BUFFER_DESCRIPTOR_INIT;
    resolve.size = WR_TIMESTAMP_BYTES;
    resolve.usage = WGPUBufferUsage_QueryResolve | WGPUBufferUsage_CopySrc;
    batch->resolve_buffer = ctx->procs.DeviceCreateBuffer(ctx->device, &resolve);
    WGPUBufferDescriptor readback = WGPU_BUFFER_DESCRIPTOR_INIT;
    readback.size = WR_TIMESTAMP_BYTES;
    readback.usage = WGPUBufferUsage_MapRead | WGPUBufferUsage_CopyDst;
    batch->readback_buffer = ctx->procs.DeviceCreateBuffer(ctx->device, &readback);
    if (!batch->timestamps || !batch->resolve_buffer || !batch->readback_buffer)
        return wr_ctx_fail(ctx, WR_ERROR_DEVICE, "cannot create timestamp queries");
    return WR_OK;
}

wr_status wr_batch_create(wr_context* ctx, const wr_batch_desc* desc, wr_batch** out) {
    *out = NULL;
    wr_batch* batch = calloc(1, sizeof *batch);
    if (batch == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    if (desc != NULL) batch->desc = *desc;
    batch->desc.gpu_timing = batch->desc.gpu_timing && ctx->info.has_timestamps;
    batch->ctx = ctx;
    if (batch->desc.gpu_timing) {
        wr_status status = create_timing_resources(ctx, batch);
        if (status != WR_OK) {
            wr_batch_destroy(batch);
            return status;
        }
    }
    *out = batch;
    return WR_OK;
}

void wr_batch_destroy(wr_batch* batch) {
    if (batch == NULL) return;
    const wr_procs* procs = &batch->ctx->procs;
    for (size_t i = 0; i < batch->count; i++)
        for (int g = 0; g < WR_MAX_GROUPS; g++)
            if (batch->items[i].groups[g]) procs->BindGroupRelease(batch->items[i].groups[g]);
    /* Release alone: wgpu-native aborts on a release after an explicit destroy. */
    if (batch->timestamps) procs->QuerySetRelease(batch->timestamps);
    if (batch->resolve_buffer) procs->BufferRelease(batch->resolve_buffer);
    if (batch->readback_buffer) procs->BufferRelease(batch->readback_buffer);
    free(batch->items);
    free(batch);
}

wr_status wr_batch_add(wr_context* ctx, wr_batch* batch, const wr_dispatch_desc* dispatch) {
    recorded_dispatch item = {0};
    wr_status status = wr_dispatch_resolve(ctx, dispatch, item.workgroups);
    if (status == WR_OK) status = create_groups(ctx, dispatch, item.groups);
    if (status == WR_OK && batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 8;
        recorded_dispatch* grown = realloc(batch->items, capacity * sizeof *grown);
        if (grown == NULL) status = wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
        else batch->items = grown, batch->capacity = capacity;
    }
    if (status != WR_OK) {
        for (int g = 0; g < WR_MAX_GROUPS; g++)
            if (item.groups[g]) ctx->procs.BindGroupRelease(item.groups[g]);
        return status;
    }
    item.pipeline = wr_kernel_pipeline(dispatch->kernel)->pipeline;
    batch->items[batch->count++] = item;
    return WR_OK;
}

static WGPUComputePassEncoder begin_pass(wr_context* ctx, wr_batch* batch, WGPUCommandEncoder encoder,
                                         bool first, bool last) {
    WGPUPassTimestampWrites writes = WGPU_PASS_TIMESTAMP_WRITES_INIT;
    WGPUComputePassDescriptor desc = WGPU_COMPUTE_PASS_DESCRIPTOR_INIT;
    if (batch->desc.gpu_timing && (first || last)) {
        writes.querySet = batch->timestamps;
        if (first) writes.beginningOfPassWriteIndex = 0;
        if (last) writes.endOfPassWriteIndex = 1;
        desc.timestampWrites = &writes;
    }
    return ctx->procs.CommandEncoderBeginComputePass(encoder, &desc);
}

static void encode_dispatch(const wr_procs* procs, WGPUComputePassEncoder pass, const recorded_dispatch* item) {
    procs->ComputePassEncoderSetPipeline(pass, item->pipeline);
    for (uint32_t g = 0; g < WR_MAX_GROUPS; g++)
        if (item->groups[g]) procs->ComputePassEncoderSetBindGroup(pass, g, item->groups[g], 0, NULL);
    procs->ComputePassEncoderDispatchWorkgroups(pass, item->workgroups[0], item->workgroups[1],
                                                item->workgroups[2]);
}

static void end_pass(const wr_procs* procs, WGPUComputePassEncoder pass) {
    procs->ComputePassEncoderEnd(pass);
    procs->ComputePassEncoderRelease(pass);
}

static WGPUCommandBuffer encode(wr_context* ctx, wr_batch* batch, uint32_t repeat) {
    const wr_procs* procs = &ctx->procs;
    WGPUCommandEncoder encoder = procs->DeviceCreateCommandEncoder(ctx->device, NULL);
    size_t total = (size_t)repeat * batch->count;
    WGPUComputePassEncoder pass = NULL;
    for (size_t i = 0; i < total; i++) {
        bool last = i + 1 == total;
        if (pass == NULL) pass = begin_pass(ctx, batch, encoder, i == 0, batch->desc.pass_per_dispatch ? last : true);
        encode_dispatch(procs, pass, &batch->items[i % batch->count]);
        if (batch->desc.pass_per_dispatch || last) {
            end_pass(procs, pass);
            pass = NULL;
        }
    }
    if (batch->desc.gpu_timing) {
        procs->CommandEncoderResolveQuerySet(encoder, batch->timestamps, 0, 2, batch->resolve_buffer, 0);
        procs->CommandEncoderCopyBufferToBuffer(encoder, batch->resolve_buffer, 0, batch->readback_buffer, 0,
                                                WR_TIMESTAMP_BYTES);
    }
    WGPUCommandBuffer commands = procs->CommandEncoderFinish(encoder, NULL);
    procs->CommandEncoderRelease(encoder);
    return commands;
}

wr_status wr_batch_submit(wr_context* ctx, wr_batch* batch, uint32_t repeat) {
    if (batch->count == 0 || repeat == 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "batch: nothing to run (%zu dispatches, repeat %u)",
                           batch->count, repeat);
    if (ctx->lost) return wr_ctx_take_async_error(ctx);
    WGPUCommandBuffer commands = encode(ctx, batch, repeat);
    ctx->procs.QueueSubmit(ctx->queue, 1, &commands);
    ctx->procs.CommandBufferRelease(commands);
    return wr_ctx_take_async_error(ctx);
}

typedef struct map_wait {
    bool done;
    WGPUMapAsyncStatus status;
} map_wait;

static void on_timestamps_mapped(WGPUMapAsyncStatus status, WGPUStringView message, void* userdata1,
                                 void* userdata2) {
    (void)message, (void)userdata2;
    map_wait* wait = userdata1;
    wait->status = status;
    wait->done = true;
}

static double read_gpu_ms(wr_context* ctx, wr_batch* batch) {
    map_wait wait = {0};
    WGPUFuture future = ctx->procs.BufferMapAsync(
        batch->readback_buffer, WGPUMapMode_Read, 0, WR_TIMESTAMP_BYTES,
        (WGPUBufferMapCallbackInfo){.mode = ctx->callback_mode, .callback = on_timestamps_mapped, .userdata1 = &wait});
    if (wr_ctx_wait(ctx, future, &wait.done) != WR_OK || wait.status != WGPUMapAsyncStatus_Success) return -1.0;
    const uint64_t* ticks = ctx->procs.BufferGetConstMappedRange(batch->readback_buffer, 0, WR_TIMESTAMP_BYTES);
    double ms = ticks && ticks[1] > ticks[0] ? (double)(ticks[1] - ticks[0]) * 1e-6 : -1.0;
    ctx->procs.BufferUnmap(batch->readback_buffer);
    return ms;
}

wr_status wr_batch_run(wr_context* ctx, wr_batch* batch, uint32_t repeat, wr_timing* timing) {
    double start = wr_now_ms();
    wr_status status = wr_batch_submit(ctx, batch, repeat);
    if (status == WR_OK) status = wr_ctx_wait_queue(ctx);
    double end = wr_now_ms();
    if (status != WR_OK) return status;
    if (timing != NULL) {
        timing->wall_ms = end - start;
        timing->gpu_ms = batch->desc.gpu_timing ? read_gpu_ms(ctx, batch) : -1.0;
    }
    return WR_OK;
}

wr_status wr_dispatch(wr_context* ctx, const wr_dispatch_desc* desc, wr_timing* timing) {
    wr_batch* batch;
    wr_status status = wr_batch_create(ctx, &(wr_batch_desc){.gpu_timing = timing != NULL}, &batch);
    if (status != WR_OK) return status;
    status = wr_batch_add(ctx, batch, desc);
    if (status == WR_OK) status = wr_batch_run(ctx, batch, 1, timing);
    wr_batch_destroy(batch);
    return status;
}
