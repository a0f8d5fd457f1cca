/* Internal: compiled kernels, cached per context by (source, entry, constants). */
#ifndef WGSLRUN_SRC_KERNEL_CACHE_H
#define WGSLRUN_SRC_KERNEL_CACHE_H

#include <webgpu.h>

#include "wgslrun.h"

#define WR_MAX_GROUPS 4

struct wr_pipeline_entry {
    struct wr_pipeline_entry* next;
    char* key;
    WGPUComputePipeline pipeline;
    WGPUBindGroupLayout layouts[WR_MAX_GROUPS];   /* fetched on first use */
    wr_shader_info shader;
    wr_entry_info entry;
    bool* binding_used;                /* per shader.bindings: reachable from the entry point */
    uint32_t workgroup_size[3];
};

void wr_kernel_cache_clear(wr_context* ctx);

/* What batches need of a kernel. */
struct wr_pipeline_entry* wr_kernel_pipeline(const wr_kernel* kernel);
WGPUBindGroupLayout wr_kernel_layout(wr_context* ctx, struct wr_pipeline_entry* entry, uint32_t group);

#endif
