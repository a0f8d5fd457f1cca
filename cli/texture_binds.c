/* Texture and sampler bindings of `wgslrun run`: where texels come from (PNG, .npy, texture
 * generators), which format they go up in, and --sampler specs. */
#include "texture_binds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "png_file.h"

/* Texture generators refuse more texels than this per side, so a typo cannot ask for 16 GiB. */
#define CLI_MAX_TEXTURE_SIDE 65536u

static bool ends_with(const char* s, const char* suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "HxW" */
static bool parse_extent(const char* text, uint32_t* height, uint32_t* width) {
    char h[32], w[32];
    const char* x = strchr(text, 'x');
    if (x == NULL || (size_t)(x - text) >= sizeof h || strlen(x + 1) >= sizeof w) return false;
    snprintf(h, sizeof h, "%.*s", (int)(x - text), text);
    snprintf(w, sizeof w, "%s", x + 1);
    uint64_t hv, wv;
    if (!cli_parse_u64(h, &hv) || !cli_parse_u64(w, &wv) || hv == 0 || wv == 0 || hv > CLI_MAX_TEXTURE_SIDE ||
        wv > CLI_MAX_TEXTURE_SIDE)
        return false;
    *height = (uint32_t)hv;
    *width = (uint32_t)wv;
    return true;
}

/* GEN:FORMAT:HxW[:ARG]; the generator's own checks are cli_source_parse's, given a count. */
static int parse_generator(const char* spec, cli_texture_source* out, char* error, size_t error_size) {
    char buffer[256];
    if (strlen(spec) >= sizeof buffer) return 0;
    snprintf(buffer, sizeof buffer, "%s", spec);
    char* format = strchr(buffer, ':');
    char* extent = format ? strchr(format + 1, ':') : NULL;
    if (extent == NULL) return 0;
    *format++ = '\0';
    *extent++ = '\0';
    out->format = wr_texture_format_parse(format);
    if (out->format == WR_TEXTURE_FORMAT_INVALID) return 0;
    char* rest = strchr(extent, ':');
    if (rest) *rest++ = '\0';
    if (!parse_extent(extent, &out->height, &out->width)) {
        snprintf(error, error_size, "'%s': size '%s' is not HxW (1 to %u each)", spec, extent, CLI_MAX_TEXTURE_SIDE);
        return -1;
    }
    bool takes_arg = strcmp(buffer, "random") == 0 || strcmp(buffer, "fill") == 0;
    bool needs_arg = strcmp(buffer, "fill") == 0;
    bool known = takes_arg || strcmp(buffer, "zeros") == 0 || strcmp(buffer, "iota") == 0;
    if (!known || (rest && !takes_arg) || (!rest && needs_arg)) {
        snprintf(error, error_size, "'%s' is not zeros:, iota:, random:FORMAT:HxW[:SEED] or fill:FORMAT:HxW:VALUE", spec);
        return -1;
    }
    uint64_t count = (uint64_t)out->width * out->height * wr_texture_format_channels(out->format);
    char generator[300];
    snprintf(generator, sizeof generator, "%s:%s:%llu%s%s", buffer, wr_dtype_name(wr_texture_format_dtype(out->format)),
             (unsigned long long)count, rest ? ":" : "", rest ? rest : "");
    if (!cli_source_parse(generator, &out->generator, error, error_size)) return -1;
    out->kind = CLI_TEXTURE_GENERATED;
    return 1;
}

int cli_texture_source_parse(const char* spec, cli_texture_source* out, char* error, size_t error_size) {
    memset(out, 0, sizeof *out);
    if (ends_with(spec, ".png")) {
        out->kind = CLI_TEXTURE_PNG;
        snprintf(out->path, sizeof out->path, "%s", spec);
        return 1;
    }
    return parse_generator(spec, out, error, error_size);
}

/* ---------------------------------------------------------------- formats of host arrays */

static const struct {
    wr_dtype dtype;
    uint32_t channels;
    wr_texture_format format;
} array_formats[] = {
    {WR_DTYPE_F32, 1, WR_TEXTURE_FORMAT_R32FLOAT},   {WR_DTYPE_U32, 1, WR_TEXTURE_FORMAT_R32UINT},
    {WR_DTYPE_I32, 1, WR_TEXTURE_FORMAT_R32SINT},    {WR_DTYPE_U8, 4, WR_TEXTURE_FORMAT_RGBA8UNORM},
    {WR_DTYPE_F16, 4, WR_TEXTURE_FORMAT_RGBA16FLOAT}, {WR_DTYPE_F32, 4, WR_TEXTURE_FORMAT_RGBA32FLOAT},
    {WR_DTYPE_U32, 4, WR_TEXTURE_FORMAT_RGBA32UINT},
};

static wr_texture_format format_of(wr_dtype dtype, uint32_t channels) {
    for (size_t i = 0; i < sizeof array_formats / sizeof array_formats[0]; i++)
        if (array_formats[i].dtype == dtype && array_formats[i].channels == channels) return array_formats[i].format;
    return WR_TEXTURE_FORMAT_INVALID;
}

static uint32_t channels_of(const wr_array* a) {
    return a->ndim == 3 ? (uint32_t)a->shape[2] : 1;
}

#define CLI_TEXTURE_SOURCES "FILE.png, FILE.npy (HxW or HxWxC), zeros:FORMAT:HxW or random:FORMAT:HxW[:SEED]"

/* A storage texture takes its declared format; the data must have its dtype and channels. */
static bool check_storage(const wr_array* a, const wr_binding_info* d, const char* file, const char* spec,
                          wr_texture_format* format, char* error, size_t error_size) {
    *format = d->texture_format;
    if (*format == WR_TEXTURE_FORMAT_INVALID) {
        snprintf(error, error_size,
                 "%s:%u: binding '%s' is %s: wgslrun creates storage textures in r32float, r32uint, r32sint, "
                 "rgba8unorm, rgba16float, rgba32float and rgba32uint only",
                 file, d->line, d->name, d->type_text);
        return false;
    }
    wr_dtype want = wr_texture_format_dtype(*format);
    uint32_t channels = wr_texture_format_channels(*format);
    if (a->dtype != want) {
        snprintf(error, error_size, "%s:%u: binding '%s' is %s (texels of %s) but --bind %s=%s holds %s", file, d->line,
                 d->name, d->type_text, wr_dtype_name(want), d->name, spec, wr_dtype_name(a->dtype));
        return false;
    }
    if (channels_of(a) != channels) {
        snprintf(error, error_size, "%s:%u: binding '%s' is %s (%u channel%s) but --bind %s=%s has %u", file, d->line,
                 d->name, d->type_text, channels, channels == 1 ? "" : "s", d->name, spec, channels_of(a));
        return false;
    }
    return true;
}

/* A sampled texture takes the format the data's dtype and channels name; its texels must read
 * as the declared T. */
static bool check_sampled(const wr_array* a, const wr_binding_info* d, const char* file, const char* spec,
                          wr_texture_format* format, char* error, size_t error_size) {
    *format = format_of(a->dtype, channels_of(a));
    if (*format == WR_TEXTURE_FORMAT_INVALID) {
        snprintf(error, error_size,
                 "%s:%u: binding '%s' (%s): --bind %s=%s holds %u channel%s of %s, which is no texture format "
                 "(f32: 1 or 4 channels, u32: 1 or 4, i32: 1, u8: 4, f16: 4)",
                 file, d->line, d->name, d->type_text, d->name, spec, channels_of(a), channels_of(a) == 1 ? "" : "s",
                 wr_dtype_name(a->dtype));
        return false;
    }
    if (wr_texture_format_sample_type(*format) != d->scalar_type) {
        snprintf(error, error_size, "%s:%u: binding '%s' is %s but --bind %s=%s is %s, which reads as %s", file, d->line,
                 d->name, d->type_text, d->name, spec, wr_texture_format_name(*format),
                 wr_dtype_name(wr_texture_format_sample_type(*format)));
        return false;
    }
    return true;
}

/* Generated texels: the generator's elements shaped (H, W[, C]). */
static bool generate(const cli_texture_source* t, wr_array* out, char* error, size_t error_size) {
    wr_error err = {0};
    if (cli_source_load(&t->generator, out, &err) != WR_OK) {
        snprintf(error, error_size, "%s", err.message);
        return false;
    }
    uint32_t channels = wr_texture_format_channels(t->format);
    out->ndim = channels == 1 ? 2 : 3;
    out->shape[0] = t->height;
    out->shape[1] = t->width;
    out->shape[2] = channels;
    return true;
}

static bool load_array(const cli_texture_source* t, const cli_source* source, const wr_binding_info* d,
                       const char* file, const char* spec, wr_array* out, char* error, size_t error_size) {
    if (t->kind == CLI_TEXTURE_PNG) return cli_png_read(t->path, out, error, error_size);
    if (t->kind == CLI_TEXTURE_GENERATED) return generate(t, out, error, error_size);
    if (source->kind != CLI_SOURCE_NPY) {
        snprintf(error, error_size, "%s:%u: binding '%s' is %s, a texture: --bind it to " CLI_TEXTURE_SOURCES
                 ", not %s", file, d->line, d->name, d->type_text, spec);
        return false;
    }
    wr_error err = {0};
    if (cli_source_load(source, out, &err) != WR_OK) {
        snprintf(error, error_size, "%s", err.message);
        return false;
    }
    if (out->ndim == 2 || out->ndim == 3) return true;
    snprintf(error, error_size, "%s:%u: binding '%s' is %s: %s has %u dimensions; a texture needs HxW or HxWxC", file,
             d->line, d->name, d->type_text, spec, out->ndim);
    wr_array_free(out);
    return false;
}

bool cli_texture_load(const cli_texture_source* texture, const cli_source* source, const wr_binding_info* d,
                      const char* file, const char* spec, wr_array* out, wr_texture_format* format, char* error,
                      size_t error_size) {
    if (!load_array(texture, source, d, file, spec, out, error, error_size)) return false;
    bool ok = d->resource == WR_RESOURCE_STORAGE_TEXTURE ? check_storage(out, d, file, spec, format, error, error_size)
                                                         : check_sampled(out, d, file, spec, format, error, error_size);
    if (ok && (out->shape[0] > CLI_MAX_TEXTURE_SIDE || out->shape[1] > CLI_MAX_TEXTURE_SIDE)) {
        snprintf(error, error_size, "%s: %zux%zu is larger than %u texels a side", spec, out->shape[0], out->shape[1],
                 CLI_MAX_TEXTURE_SIDE);
        ok = false;
    }
    if (!ok) wr_array_free(out);
    return ok;
}

/* ---------------------------------------------------------------- samplers */

bool cli_sampler_parse(const char* value, char* name, size_t name_size, wr_sampler_desc* out, char* error,
                       size_t error_size) {
    const char* spec;
    *out = (wr_sampler_desc){0};
    if (!cli_split_assignment(value, name, name_size, &spec)) {
        snprintf(error, error_size, "--sampler '%s' is not NAME=linear|nearest[,repeat|clamp]", value);
        return false;
    }
    char filter[32] = "", address[32] = "";
    const char* comma = strchr(spec, ',');
    snprintf(filter, sizeof filter, "%.*s", comma ? (int)(comma - spec) : (int)strlen(spec), spec);
    if (comma) snprintf(address, sizeof address, "%s", comma + 1);
    bool filter_ok = strcmp(filter, "nearest") == 0 || strcmp(filter, "linear") == 0;
    bool address_ok = !comma || strcmp(address, "clamp") == 0 || strcmp(address, "repeat") == 0;
    if (!filter_ok || !address_ok) {
        snprintf(error, error_size, "--sampler %s: '%s' is not linear|nearest[,repeat|clamp]", name, spec);
        return false;
    }
    out->filter = strcmp(filter, "linear") == 0 ? WR_FILTER_LINEAR : WR_FILTER_NEAREST;
    out->address = strcmp(address, "repeat") == 0 ? WR_ADDRESS_REPEAT : WR_ADDRESS_CLAMP;
    return true;
}

/* ---------------------------------------------------------------- reading back */

bool cli_texture_read(wr_context* ctx, wr_texture* texture, wr_array* out, char* error, size_t error_size) {
    const wr_texture_desc* desc = wr_texture_info(texture);
    uint32_t channels = wr_texture_format_channels(desc->format);
    size_t bytes = wr_texture_byte_size(texture);
    *out = (wr_array){.dtype = wr_texture_format_dtype(desc->format), .ndim = channels == 1 ? 2 : 3,
                      .shape = {desc->height, desc->width, channels}, .byte_size = bytes};
    out->count = bytes / wr_dtype_size(out->dtype);
    out->data = malloc(bytes);
    if (out->data == NULL) {
        snprintf(error, error_size, "texture '%s': out of host memory for %zu bytes", desc->label, bytes);
        return false;
    }
    if (wr_texture_download(ctx, texture, out->data, bytes) == WR_OK) return true;
    snprintf(error, error_size, "%s", wr_context_error(ctx));
    wr_array_free(out);
    return false;
}
