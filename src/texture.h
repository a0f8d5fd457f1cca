/* Internal: what bind-group creation needs of textures and samplers. */
#ifndef WGSLRUN_SRC_TEXTURE_H
#define WGSLRUN_SRC_TEXTURE_H

#include <webgpu.h>

#include "wgslrun.h"

/* Checks binding `b` against the texture or sampler declaration `d` (resource != BUFFER) and
 * fills its bind-group entry; the message names the kernel, binding and line. */
wr_status wr_resource_binding_entry(wr_context* ctx, const char* kernel, const wr_binding* b,
                                    const wr_binding_info* d, WGPUBindGroupEntry* out);

#endif
