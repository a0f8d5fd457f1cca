/* The texel formats wgslrun creates textures in: names as WGSL spells them, channel counts and
 * host element types. No WebGPU here, so the scanner and the CLI can use it too. */
#include "texture_format.h"

#include <string.h>

typedef struct format_entry {
    const char* name;
    uint32_t channels;
    wr_dtype host;          /* one channel on the host */
    wr_dtype sample;        /* what a shader reads */
    WGPUTextureFormat wgpu;
    /* The value in Dawn builds from before the mid-2025 webgpu.h that added the 16-bit unorm
     * and snorm formats (R16, RG16, RGBA16) in the middle of the enum (procs.h: legacy_abi). */
    uint32_t legacy;
} format_entry;

static const format_entry formats[] = {
    [WR_TEXTURE_FORMAT_R32FLOAT] = {"r32float", 1, WR_DTYPE_F32, WR_DTYPE_F32, WGPUTextureFormat_R32Float, 0x0C},
    [WR_TEXTURE_FORMAT_R32UINT] = {"r32uint", 1, WR_DTYPE_U32, WR_DTYPE_U32, WGPUTextureFormat_R32Uint, 0x0D},
    [WR_TEXTURE_FORMAT_R32SINT] = {"r32sint", 1, WR_DTYPE_I32, WR_DTYPE_I32, WGPUTextureFormat_R32Sint, 0x0E},
    [WR_TEXTURE_FORMAT_RGBA8UNORM] = {"rgba8unorm", 4, WR_DTYPE_U8, WR_DTYPE_F32, WGPUTextureFormat_RGBA8Unorm, 0x12},
    [WR_TEXTURE_FORMAT_RGBA16FLOAT] = {"rgba16float", 4, WR_DTYPE_F16, WR_DTYPE_F32, WGPUTextureFormat_RGBA16Float, 0x22},
    [WR_TEXTURE_FORMAT_RGBA32FLOAT] = {"rgba32float", 4, WR_DTYPE_F32, WR_DTYPE_F32, WGPUTextureFormat_RGBA32Float, 0x23},
    [WR_TEXTURE_FORMAT_RGBA32UINT] = {"rgba32uint", 4, WR_DTYPE_U32, WR_DTYPE_U32, WGPUTextureFormat_RGBA32Uint, 0x24},
};

#define FORMAT_COUNT (sizeof formats / sizeof formats[0])

static const format_entry* entry(wr_texture_format format) {
    if ((size_t)format == 0 || (size_t)format >= FORMAT_COUNT) return NULL;
    return &formats[format];
}

const char* wr_texture_format_name(wr_texture_format format) {
    const format_entry* e = entry(format);
    return e ? e->name : "invalid";
}

wr_texture_format wr_texture_format_parse(const char* name) {
    if (name == NULL) return WR_TEXTURE_FORMAT_INVALID;
    for (size_t i = 1; i < FORMAT_COUNT; i++)
        if (strcmp(name, formats[i].name) == 0) return (wr_texture_format)i;
    return WR_TEXTURE_FORMAT_INVALID;
}

uint32_t wr_texture_format_channels(wr_texture_format format) {
    const format_entry* e = entry(format);
    return e ? e->channels : 0;
}

wr_dtype wr_texture_format_dtype(wr_texture_format format) {
    const format_entry* e = entry(format);
    return e ? e->host : WR_DTYPE_INVALID;
}

wr_dtype wr_texture_format_sample_type(wr_texture_format format) {
    const format_entry* e = entry(format);
    return e ? e->sample : WR_DTYPE_INVALID;
}

size_t wr_texture_format_texel_size(wr_texture_format format) {
    const format_entry* e = entry(format);
    return e ? e->channels * wr_dtype_size(e->host) : 0;
}

WGPUTextureFormat wr_texture_format_wgpu(wr_texture_format format, bool legacy_abi) {
    const format_entry* e = entry(format);
    if (e == NULL) return WGPUTextureFormat_Undefined;
    return legacy_abi ? (WGPUTextureFormat)e->legacy : e->wgpu;
}
