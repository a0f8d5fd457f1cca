/* The webgpu.h floor of dispatch overhead: a one-invocation kernel submitted and waited for
 * with raw webgpu.h calls, no wgslrun in the timed loop, so `wgslrun bench`'s dispatch rows can
 * be compared with what the implementation itself allows. wgslrun only opens the device (its
 * loader bridges Dawn's older ABI); every call in the loops goes straight to the library.
 *
 *   floor IMPL [ITERATIONS]   IMPL: dawn or wgpu
 *
 * Prints one JSON line per loop: submit_each (N submits, one wait), round_trip_<wait> (submit
 * and wait N times) for each way the implementation can wait. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"

static const char tick_wgsl[] =
    "@group(0) @binding(0) var<storage, read_write> counter : array<u32>;\n"
    "@compute @workgroup_size(1) fn tick() { counter[0] = counter[0] + 1u; }\n";

typedef struct floor_state {
    wr_context* ctx;
    const wr_procs* p;
    WGPUComputePipeline pipeline;
    WGPUBindGroup group;
    bool done;
} floor_state;

static void on_done(WGPUQueueWorkDoneStatus status, WGPUStringView message, void* userdata1, void* userdata2) {
    (void)status, (void)message, (void)userdata2;
    *(bool*)userdata1 = true;
}

static void submit_tick(floor_state* f) {
    WGPUCommandEncoder encoder = f->p->DeviceCreateCommandEncoder(f->ctx->device, NULL);
    WGPUComputePassEncoder pass = f->p->CommandEncoderBeginComputePass(encoder, NULL);
    f->p->ComputePassEncoderSetPipeline(pass, f->pipeline);
    f->p->ComputePassEncoderSetBindGroup(pass, 0, f->group, 0, NULL);
    f->p->ComputePassEncoderDispatchWorkgroups(pass, 1, 1, 1);
    f->p->ComputePassEncoderEnd(pass);
    f->p->ComputePassEncoderRelease(pass);
    WGPUCommandBuffer commands = f->p->CommandEncoderFinish(encoder, NULL);
    f->p->QueueSubmit(f->ctx->queue, 1, &commands);
    f->p->CommandBufferRelease(commands);
    f->p->CommandEncoderRelease(encoder);
}

/* Waits for the queue: Dawn with WaitAny (timeout 0 = spin, else block), wgpu-native with
 * DevicePoll (wait = block) and ProcessEvents. */
static void wait_queue(floor_state* f, bool block) {
    f->done = false;
    WGPUFuture future = f->p->QueueOnSubmittedWorkDone(
        f->ctx->queue, (WGPUQueueWorkDoneCallbackInfo){.mode = f->ctx->callback_mode, .callback = on_done, .userdata1 = &f->done});
    if (f->ctx->callback_mode == WGPUCallbackMode_WaitAnyOnly) {
        WGPUFutureWaitInfo info = {.future = future};
        while (!f->done) f->p->InstanceWaitAny(f->ctx->instance, 1, &info, block ? UINT64_MAX : 0);
        return;
    }
    while (!f->done) {
        f->p->DevicePoll(f->ctx->device, block, NULL);
        f->p->InstanceProcessEvents(f->ctx->instance);
    }
}

static void report(const char* impl, const char* loop, double ms, int n) {
    printf("{\"floor\": \"%s\", \"impl\": \"%s\", \"iterations\": %d, \"us_per_iteration\": %.3f}\n", loop, impl, n,
           ms * 1e3 / n);
    fflush(stdout);
}

static void run_loops(floor_state* f, const char* impl, int n) {
    for (int b = 0; b < 2; b++) { /* warm-up pass, then the one reported */
        double start = wr_now_ms();
        for (int i = 0; i < n; i++) submit_tick(f);
        wait_queue(f, true);
        if (b) report(impl, "submit_each", wr_now_ms() - start, n);
    }
    for (int block = 1; block >= 0; block--)
        for (int b = 0; b < 2; b++) {
            double start = wr_now_ms();
            for (int i = 0; i < n; i++) {
                submit_tick(f);
                wait_queue(f, block);
            }
            if (b) report(impl, block ? "round_trip_block" : "round_trip_spin", wr_now_ms() - start, n);
        }
}

static bool build(floor_state* f, WGPUBuffer* counter) {
    WGPUShaderSourceWGSL wgsl = {.chain = {.sType = WGPUSType_ShaderSourceWGSL}, .code = wr_sv(tick_wgsl)};
    WGPUShaderModuleDescriptor module_desc = {.nextInChain = &wgsl.chain};
    WGPUShaderModule module = f->p->DeviceCreateShaderModule(f->ctx->device, &module_desc);
    WGPUComputePipelineDescriptor pipeline_desc = WGPU_COMPUTE_PIPELINE_DESCRIPTOR_INIT;
    pipeline_desc.compute.module = module;
    pipeline_desc.compute.entryPoint = wr_sv("tick");
    f->pipeline = f->p->DeviceCreateComputePipeline(f->ctx->device, &pipeline_desc);
    f->p->ShaderModuleRelease(module);
    WGPUBufferDescriptor buffer_desc = WGPU_BUFFER_DESCRIPTOR_INIT;
    buffer_desc.size = 4;
    buffer_desc.usage = WGPUBufferUsage_Storage;
    *counter = f->p->DeviceCreateBuffer(f->ctx->device, &buffer_desc);
    if (f->pipeline == NULL || *counter == NULL) return false;
    WGPUBindGroupEntry entry = WGPU_BIND_GROUP_ENTRY_INIT;
    entry.binding = 0;
    entry.buffer = *counter;
    entry.size = 4;
    WGPUBindGroupDescriptor group_desc = WGPU_BIND_GROUP_DESCRIPTOR_INIT;
    group_desc.layout = f->p->ComputePipelineGetBindGroupLayout(f->pipeline, 0);
    group_desc.entryCount = 1;
    group_desc.entries = &entry;
    f->group = f->p->DeviceCreateBindGroup(f->ctx->device, &group_desc);
    f->p->BindGroupLayoutRelease(group_desc.layout);
    return f->group != NULL;
}

int main(int argc, char** argv) {
    const char* impl = argc > 1 ? argv[1] : "dawn";
    int n = argc > 2 ? atoi(argv[2]) : 5000;
    if (n <= 0) {
        fprintf(stderr, "usage: floor dawn|wgpu [ITERATIONS > 0]\n");
        return 2;
    }
    wr_error err;
    floor_state f = {0};
    /* The library reads no environment; hostpath.sh sets WGSLRUN_DEPS on the GPU machine. */
    wr_context_desc desc = {.impl = impl, .deps_dir = getenv("WGSLRUN_DEPS"), .no_timestamps = true};
    if (wr_context_create(&desc, &f.ctx, &err) != WR_OK) {
        fprintf(stderr, "floor: %s\n", err.message);
        return 1;
    }
    f.p = &f.ctx->procs;
    WGPUBuffer counter = NULL;
    bool ok = build(&f, &counter);
    if (ok) run_loops(&f, impl, n);
    else fprintf(stderr, "floor: could not build the tick pipeline\n");
    if (f.group) f.p->BindGroupRelease(f.group);
    if (f.pipeline) f.p->ComputePipelineRelease(f.pipeline);
    if (counter) f.p->BufferRelease(counter);
    wr_context_destroy(f.ctx);
    return ok ? 0 : 1;
}
