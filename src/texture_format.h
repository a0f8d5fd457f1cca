/* Internal: what textures and bindings need of a texel format. */
#ifndef WGSLRUN_SRC_TEXTURE_FORMAT_H
#define WGSLRUN_SRC_TEXTURE_FORMAT_H

#include <webgpu.h>

#include "wgslrun.h"

size_t wr_texture_format_texel_size(wr_texture_format format);   /* bytes; 0 for INVALID */
/* The implementation's value: `legacy_abi` as in wr_procs (older Dawn numbering). */
WGPUTextureFormat wr_texture_format_wgpu(wr_texture_format format, bool legacy_abi);

#endif
