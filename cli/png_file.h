/* PNG files for texture bindings, through libpng. Builds without libpng (wasm32) compile the
 * same functions to an error saying PNG is not available. */
#ifndef WGSLRUN_CLI_PNG_FILE_H
#define WGSLRUN_CLI_PNG_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "wgslrun.h"

/* Reads any PNG (grey, palette, 16-bit, ...) as RGBA8: a u8 array of shape (H, W, 4). */
bool cli_png_read(const char* path, wr_array* out, char* error, size_t error_size);

/* Writes a u8 (H, W, 4) array as an RGBA8 PNG, through a temporary file renamed into place,
 * so `path` is complete or absent. */
bool cli_png_write(const char* path, const wr_array* image, char* error, size_t error_size);

#endif
