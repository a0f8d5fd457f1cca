/* Internal: what bind-group creation needs of textures and samplers. */
#ifndef WGSLRUN_SRC_TEXTURE_H
#define WGSLRUN_SRC_TEXTURE_H

#include <webgpu.h>

#include "wgslrun.h"

/* Checks binding `b` against the texture or sampler declaration `d` (resource != BUFFER) and
 * fills its bind-group entry; the message names the kernel, binding and line. */
wr_status wr_resource_binding_entry(wr_context* ctx, const char* kernel, const wr_binding* b,
                                    const wr_binding_info* d, WGPUBindGroupEntry* out);

/* After pipeline creation failed with `status`: when a used storage texture has a format or
 * access WebGPU core lacks, replaces the context's error with one naming that binding and line
 * and returns WR_ERROR_UNSUPPORTED; otherwise returns `status`. */
wr_status wr_texture_explain_pipeline_error(wr_context* ctx, const wr_shader_info* shader, const bool* used,
                                            const char* file, wr_status status);

/* After bind-group creation failed: when binding `b` of declaration `d` is a texture that cannot
 * be sampled, replaces the context's error with one naming it; true if it did. */
bool wr_texture_explain_group_error(wr_context* ctx, const char* kernel, const wr_binding* b,
                                    const wr_binding_info* d);

#endif
