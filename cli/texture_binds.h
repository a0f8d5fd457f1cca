/* `wgslrun run` data for texture and sampler bindings: PNG and .npy images, texture
 * generators (zeros:FORMAT:HxW, ...), --sampler specs, and writing textures back. */
#ifndef WGSLRUN_CLI_TEXTURE_BINDS_H
#define WGSLRUN_CLI_TEXTURE_BINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sources.h"
#include "wgslrun.h"

typedef enum cli_texture_kind {
    CLI_TEXTURE_NONE = 0,   /* not a texture-only source: see the cli_source */
    CLI_TEXTURE_PNG,        /* FILE.png */
    CLI_TEXTURE_GENERATED,  /* zeros:FORMAT:HxW, iota:..., random:FORMAT:HxW[:SEED], fill:FORMAT:HxW:V */
} cli_texture_kind;

typedef struct cli_texture_source {
    cli_texture_kind kind;
    char path[1024];
    cli_source generator;       /* kind, seed and fill of the generator; its dtype is the format's */
    wr_texture_format format;
    uint32_t width, height;
} cli_texture_source;

/* 1: `spec` is a texture-only source, parsed into *out; 0: it is not (parse it as a cli_source);
 * -1: it is one but malformed (message in `error`). */
int cli_texture_source_parse(const char* spec, cli_texture_source* out, char* error, size_t error_size);

/* The texels for texture binding `d` from --bind d=`spec` (texture or buffer source parsed from
 * it): an array of shape (H, W) or (H, W, C) and the format it goes up in, checked against the
 * declaration (storage format, sampled type, channels, dtype). Messages name `file`:line. */
bool cli_texture_load(const cli_texture_source* texture, const cli_source* source, const wr_binding_info* d,
                      const char* file, const char* spec, wr_array* out, wr_texture_format* format, char* error,
                      size_t error_size);

/* `NAME=linear|nearest[,repeat|clamp]` */
bool cli_sampler_parse(const char* value, char* name, size_t name_size, wr_sampler_desc* out, char* error,
                       size_t error_size);

/* Reads texture back as an (H, W[, C]) array of its host type. */
bool cli_texture_read(wr_context* ctx, wr_texture* texture, wr_array* out, char* error, size_t error_size);

#endif
