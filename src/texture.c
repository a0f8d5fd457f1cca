/* 2D textures and samplers: creation, whole-texture transfers from tightly packed host rows,
 * and the bind-group entries that texture and sampler bindings need. */
#include "texture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "context.h"
#include "texture_format.h"

struct wr_texture {
    wr_context* ctx;
    WGPUTexture texture;
    WGPUTextureView view;     /* the whole texture; bind groups hold their own reference */
    wr_texture_desc desc;
    char label[WR_NAME_MAX];
};

struct wr_sampler {
    wr_context* ctx;
    WGPUSampler sampler;
    wr_sampler_desc desc;
};

/* Texture-to-buffer copies need rows at multiples of this many bytes. */
#define WR_COPY_ROW_ALIGNMENT 256

static wr_status check_available(wr_context* ctx, const char* what) {
    if (ctx->procs.DeviceCreateTexture != NULL) return WR_OK;
    return wr_ctx_fail(ctx, WR_ERROR_UNSUPPORTED, "%s: textures are not available in this build (%s)", what,
                       ctx->procs.name);
}

/* ---------------------------------------------------------------- textures */

static wr_status check_texture_desc(wr_context* ctx, const wr_texture_desc* desc, const char* label) {
    if (wr_texture_format_texel_size(desc->format) == 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "texture '%s': no format given (or an unknown one)",
                           label);
    if (desc->width == 0 || desc->height == 0)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "texture '%s': size %ux%u has no texels", label,
                           desc->width, desc->height);
    return WR_OK;
}

static WGPUTexture create_raw_texture(wr_context* ctx, const wr_texture_desc* desc, const char* label) {
    WGPUTextureDescriptor texture_desc = WGPU_TEXTURE_DESCRIPTOR_INIT;
    texture_desc.label = wr_sv(label);
    texture_desc.usage = WGPUTextureUsage_TextureBinding | WGPUTextureUsage_StorageBinding |
                         WGPUTextureUsage_CopySrc | WGPUTextureUsage_CopyDst;
    texture_desc.dimension = WGPUTextureDimension_2D;
    texture_desc.size = (WGPUExtent3D){desc->width, desc->height, 1};
    texture_desc.format = wr_texture_format_wgpu(desc->format, ctx->procs.legacy_abi);
    texture_desc.mipLevelCount = 1;
    texture_desc.sampleCount = 1;
    return ctx->procs.DeviceCreateTexture(ctx->device, &texture_desc);
}

wr_status wr_texture_create(wr_context* ctx, const wr_texture_desc* desc, wr_texture** out) {
    *out = NULL;
    const char* label = desc != NULL && desc->label != NULL ? desc->label : "(unnamed)";
    if (desc == NULL) return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "wr_texture_create: no descriptor");
    wr_status status = check_available(ctx, "wr_texture_create");
    if (status == WR_OK) status = check_texture_desc(ctx, desc, label);
    if (status != WR_OK) return status;
    wr_texture* texture = calloc(1, sizeof *texture);
    if (texture == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    texture->ctx = ctx;
    texture->desc = *desc;
    snprintf(texture->label, sizeof texture->label, "%s", label);
    texture->desc.label = texture->label;
    wr_ctx_push_scopes(ctx);
    texture->texture = create_raw_texture(ctx, desc, label);
    if (texture->texture != NULL) texture->view = ctx->procs.TextureCreateView(texture->texture, NULL);
    char message[WR_ERROR_MESSAGE_MAX - 96] = "";
    status = wr_ctx_pop_scopes(ctx, WR_ERROR_VALIDATION, message, sizeof message);
    if (status == WR_OK && texture->view != NULL) {
        *out = texture;
        return WR_OK;
    }
    wr_texture_destroy(texture);
    return wr_ctx_fail(ctx, status == WR_OK ? WR_ERROR_OUT_OF_MEMORY : status, "texture '%s' (%ux%u %s): %s",
                       label, desc->width, desc->height, wr_texture_format_name(desc->format),
                       message[0] ? message : "creation failed");
}

void wr_texture_destroy(wr_texture* texture) {
    if (texture == NULL) return;
    const wr_procs* procs = &texture->ctx->procs;
    if (texture->view) procs->TextureViewRelease(texture->view);
    if (texture->texture) {
        procs->TextureDestroy(texture->texture);
        procs->TextureRelease(texture->texture);
    }
    free(texture);
}

const wr_texture_desc* wr_texture_info(const wr_texture* texture) {
    return &texture->desc;
}

static size_t row_bytes(const wr_texture* texture) {
    return (size_t)texture->desc.width * wr_texture_format_texel_size(texture->desc.format);
}

size_t wr_texture_byte_size(const wr_texture* texture) {
    return row_bytes(texture) * texture->desc.height;
}

static wr_status check_transfer(wr_context* ctx, const wr_texture* texture, const void* data, size_t size,
                                const char* what) {
    if (data == NULL || size != wr_texture_byte_size(texture))
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                           "%s of texture '%s': %zu bytes given, the %ux%u %s texture holds %zu", what,
                           texture->label, data == NULL ? 0 : size, texture->desc.width, texture->desc.height,
                           wr_texture_format_name(texture->desc.format), wr_texture_byte_size(texture));
    return WR_OK;
}

static WGPUTexelCopyTextureInfo whole_texture(const wr_texture* texture) {
    WGPUTexelCopyTextureInfo info = WGPU_TEXEL_COPY_TEXTURE_INFO_INIT;
    info.texture = texture->texture;
    return info;
}

/* wgpuQueueWriteTexture takes any row pitch, so host rows go up as they are. */
wr_status wr_texture_upload(wr_context* ctx, wr_texture* texture, const void* data, size_t size) {
    wr_status status = check_transfer(ctx, texture, data, size, "upload");
    if (status != WR_OK) return status;
    WGPUTexelCopyTextureInfo destination = whole_texture(texture);
    WGPUTexelCopyBufferLayout layout = WGPU_TEXEL_COPY_BUFFER_LAYOUT_INIT;
    layout.bytesPerRow = (uint32_t)row_bytes(texture);
    layout.rowsPerImage = texture->desc.height;
    WGPUExtent3D extent = {texture->desc.width, texture->desc.height, 1};
    ctx->procs.QueueWriteTexture(ctx->queue, &destination, data, size, &layout, &extent);
    return wr_ctx_take_async_error(ctx);
}

static void submit_texture_copy(wr_context* ctx, wr_texture* texture, wr_buffer* buffer, uint32_t pitch) {
    WGPUTexelCopyTextureInfo source = whole_texture(texture);
    WGPUTexelCopyBufferInfo destination = WGPU_TEXEL_COPY_BUFFER_INFO_INIT;
    destination.buffer = wr_buffer_handle(buffer);
    destination.layout.bytesPerRow = pitch;
    destination.layout.rowsPerImage = texture->desc.height;
    WGPUExtent3D extent = {texture->desc.width, texture->desc.height, 1};
    WGPUCommandEncoder encoder = ctx->procs.DeviceCreateCommandEncoder(ctx->device, NULL);
    ctx->procs.CommandEncoderCopyTextureToBuffer(encoder, &source, &destination, &extent);
    WGPUCommandBuffer commands = ctx->procs.CommandEncoderFinish(encoder, NULL);
    ctx->procs.QueueSubmit(ctx->queue, 1, &commands);
    ctx->procs.CommandBufferRelease(commands);
    ctx->procs.CommandEncoderRelease(encoder);
}

/* Rows at WebGPU's pitch into a buffer, that buffer down through the context's staging, and the
 * padding dropped on the host. */
wr_status wr_texture_download(wr_context* ctx, wr_texture* texture, void* data, size_t size) {
    wr_status status = check_transfer(ctx, texture, data, size, "download");
    if (status != WR_OK) return status;
    size_t row = row_bytes(texture);
    size_t pitch = (row + WR_COPY_ROW_ALIGNMENT - 1) / WR_COPY_ROW_ALIGNMENT * WR_COPY_ROW_ALIGNMENT;
    size_t padded_size = pitch * texture->desc.height;
    wr_buffer* buffer = NULL;
    status = wr_buffer_create(ctx, &(wr_buffer_desc){.size = padded_size, .label = texture->label}, &buffer);
    if (status != WR_OK) return status;
    unsigned char* padded = pitch == row ? data : malloc(padded_size);
    if (padded == NULL) status = wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    if (status == WR_OK) {
        submit_texture_copy(ctx, texture, buffer, (uint32_t)pitch);
        status = wr_buffer_download(ctx, buffer, 0, padded, padded_size);
    }
    if (status == WR_OK && padded != data)
        for (uint32_t r = 0; r < texture->desc.height; r++)
            memcpy((unsigned char*)data + r * row, padded + r * pitch, row);
    if (padded != data) free(padded);
    wr_buffer_destroy(buffer);
    return status;
}

/* ---------------------------------------------------------------- samplers */

wr_status wr_sampler_create(wr_context* ctx, const wr_sampler_desc* desc, wr_sampler** out) {
    *out = NULL;
    wr_status status = check_available(ctx, "wr_sampler_create");
    if (status != WR_OK) return status;
    wr_sampler_desc d = desc != NULL ? *desc : (wr_sampler_desc){0};
    wr_sampler* sampler = calloc(1, sizeof *sampler);
    if (sampler == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    WGPUSamplerDescriptor sampler_desc = WGPU_SAMPLER_DESCRIPTOR_INIT;
    WGPUAddressMode address = d.address == WR_ADDRESS_REPEAT ? WGPUAddressMode_Repeat : WGPUAddressMode_ClampToEdge;
    WGPUFilterMode filter = d.filter == WR_FILTER_LINEAR ? WGPUFilterMode_Linear : WGPUFilterMode_Nearest;
    sampler_desc.addressModeU = sampler_desc.addressModeV = sampler_desc.addressModeW = address;
    sampler_desc.magFilter = sampler_desc.minFilter = filter;
    sampler_desc.mipmapFilter = WGPUMipmapFilterMode_Nearest;
    wr_ctx_push_scopes(ctx);
    sampler->sampler = ctx->procs.DeviceCreateSampler(ctx->device, &sampler_desc);
    char message[WR_ERROR_MESSAGE_MAX - 64] = "";
    status = wr_ctx_pop_scopes(ctx, WR_ERROR_VALIDATION, message, sizeof message);
    if (status == WR_OK && sampler->sampler != NULL) {
        sampler->ctx = ctx;
        sampler->desc = d;
        *out = sampler;
        return WR_OK;
    }
    if (sampler->sampler) ctx->procs.SamplerRelease(sampler->sampler);
    free(sampler);
    return wr_ctx_fail(ctx, status == WR_OK ? WR_ERROR_OUT_OF_MEMORY : status, "sampler: %s",
                       message[0] ? message : "creation failed");
}

void wr_sampler_destroy(wr_sampler* sampler) {
    if (sampler == NULL) return;
    sampler->ctx->procs.SamplerRelease(sampler->sampler);
    free(sampler);
}

/* ---------------------------------------------------------------- bindings */

static wr_status binding_fail(wr_context* ctx, const char* kernel, const wr_binding_info* d, const char* fmt,
                              const char* detail) {
    char text[512];
    snprintf(text, sizeof text, fmt, detail);
    return wr_ctx_fail(ctx, WR_ERROR_BINDING, "kernel '%s': binding '%s' (line %u, %s) %s", kernel, d->name,
                       d->line, d->type_text, text);
}

/* The texture's format must be the declared one (storage) or read as the declared T (sampled). */
static wr_status check_texture(wr_context* ctx, const char* kernel, const wr_binding* b, const wr_binding_info* d) {
    if (b->texture == NULL)
        return binding_fail(ctx, kernel, d, "needs a texture%s", b->buffer || b->sampler ? ", not a buffer or sampler" : "");
    wr_texture_format format = b->texture->desc.format;
    char detail[160];
    if (d->resource == WR_RESOURCE_STORAGE_TEXTURE && d->texture_format == WR_TEXTURE_FORMAT_INVALID)
        return binding_fail(ctx, kernel, d,
                            "has a storage format wgslrun does not create textures in; use r32float, r32uint, "
                            "r32sint, rgba8unorm, rgba16float, rgba32float or rgba32uint%s", "");
    if (d->resource == WR_RESOURCE_STORAGE_TEXTURE && d->texture_format != format) {
        snprintf(detail, sizeof detail, "texture '%s' is %s", b->texture->label, wr_texture_format_name(format));
        return binding_fail(ctx, kernel, d, "is given a texture of another format: %s", detail);
    }
    if (d->resource == WR_RESOURCE_SAMPLED_TEXTURE && d->scalar_type != wr_texture_format_sample_type(format)) {
        snprintf(detail, sizeof detail, "texture '%s' is %s, read as %s", b->texture->label,
                 wr_texture_format_name(format), wr_dtype_name(wr_texture_format_sample_type(format)));
        return binding_fail(ctx, kernel, d, "cannot sample it: %s", detail);
    }
    return WR_OK;
}

wr_status wr_resource_binding_entry(wr_context* ctx, const char* kernel, const wr_binding* b,
                                    const wr_binding_info* d, WGPUBindGroupEntry* out) {
    *out = (WGPUBindGroupEntry){.binding = d->binding};
    if (d->resource == WR_RESOURCE_OTHER)
        return binding_fail(ctx, kernel, d, "is a kind of resource wgslrun cannot bind%s", "");
    if (d->resource == WR_RESOURCE_SAMPLER) {
        if (b->sampler == NULL)
            return binding_fail(ctx, kernel, d, "needs a sampler%s", b->buffer || b->texture ? ", not a buffer or texture" : "");
        out->sampler = b->sampler->sampler;
        return WR_OK;
    }
    wr_status status = check_texture(ctx, kernel, b, d);
    if (status == WR_OK) out->textureView = b->texture->view;
    return status;
}

/* ---------------------------------------------------------------- pipeline errors */

/* WebGPU core allows read_write storage textures only in these formats; others need adapter
 * support that neither Dawn nor wgpu-native offers on common hardware. */
static bool core_read_write(wr_texture_format format) {
    return format == WR_TEXTURE_FORMAT_R32FLOAT || format == WR_TEXTURE_FORMAT_R32UINT ||
           format == WR_TEXTURE_FORMAT_R32SINT;
}

/* Why the device would refuse storage texture `d`, or NULL when nothing stands out. */
static const char* storage_refusal(const wr_binding_info* d) {
    if (d->resource != WR_RESOURCE_STORAGE_TEXTURE) return NULL;
    if (d->texture_format == WR_TEXTURE_FORMAT_INVALID)
        return "the device refuses this storage format (wgslrun's are r32float, r32uint, r32sint, rgba8unorm, "
               "rgba16float, rgba32float and rgba32uint)";
    if (d->access == WR_ACCESS_READ_WRITE && !core_read_write(d->texture_format))
        return "the device refuses read_write access to this format (WebGPU allows it for r32float, r32uint and "
               "r32sint; use separate read and write textures)";
    return NULL;
}

wr_status wr_texture_explain_pipeline_error(wr_context* ctx, const wr_shader_info* shader, const bool* used,
                                            const char* file, wr_status status) {
    for (size_t i = 0; i < shader->binding_count; i++) {
        const wr_binding_info* d = &shader->bindings[i];
        const char* refusal = used[i] ? storage_refusal(d) : NULL;
        if (refusal == NULL) continue;
        char cause[WR_ERROR_MESSAGE_MAX];
        snprintf(cause, sizeof cause, "%s", wr_context_error(ctx));
        return wr_ctx_fail(ctx, WR_ERROR_UNSUPPORTED, "%s:%u: error: binding '%s' is %s: %s; %s says: %.400s", file,
                           d->line, d->name, d->type_text, refusal, ctx->procs.name, cause);
    }
    return status;
}

/* r32float and rgba32float are unfilterable without the float32-filterable feature, which
 * wgslrun does not request; an automatic layout expects a filterable texture wherever the
 * shader samples it. */
bool wr_texture_explain_group_error(wr_context* ctx, const char* kernel, const wr_binding* b,
                                    const wr_binding_info* d) {
    if (d->resource != WR_RESOURCE_SAMPLED_TEXTURE || b->texture == NULL) return false;
    wr_texture_format format = b->texture->desc.format;
    if (format != WR_TEXTURE_FORMAT_R32FLOAT && format != WR_TEXTURE_FORMAT_RGBA32FLOAT) return false;
    char cause[WR_ERROR_MESSAGE_MAX];
    snprintf(cause, sizeof cause, "%s", wr_context_error(ctx));
    wr_ctx_fail(ctx, WR_ERROR_UNSUPPORTED,
                "kernel '%s': binding '%s' (line %u, %s): texture '%s' is %s, which cannot be sampled through a "
                "sampler (it is not filterable); read it with textureLoad, or use rgba16float or rgba8unorm; %.400s",
                kernel, d->name, d->line, d->type_text, b->texture->label, wr_texture_format_name(format), cause);
    return true;
}
