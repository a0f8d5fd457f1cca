/* PNG reading and writing with libpng's simplified API, which converts every colour type and
 * bit depth to the one layout asked for and reports corrupt or truncated files as errors. */
#include "png_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef WGSLRUN_HAVE_PNG
#include <errno.h>
#include <png.h>
#include <unistd.h>

/* Refuse images whose RGBA8 copy would pass this, as the generators refuse 16 GiB. */
#define CLI_MAX_PNG_BYTES ((size_t)4 << 30)

bool cli_png_read(const char* path, wr_array* out, char* error, size_t error_size) {
    memset(out, 0, sizeof *out);
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path)) {
        snprintf(error, error_size, "%s: not a readable PNG image: %s", path, image.message);
        return false;
    }
    image.format = PNG_FORMAT_RGBA;
    size_t bytes = PNG_IMAGE_SIZE(image);
    if (bytes == 0 || bytes > CLI_MAX_PNG_BYTES || (out->data = malloc(bytes)) == NULL) {
        snprintf(error, error_size, "%s: a %ux%u image is too large to load", path, image.width, image.height);
        png_image_free(&image);
        return false;
    }
    if (!png_image_finish_read(&image, NULL, out->data, 0, NULL)) {
        snprintf(error, error_size, "%s: corrupt or truncated PNG: %s", path, image.message);
        png_image_free(&image);
        wr_array_free(out);
        return false;
    }
    *out = (wr_array){.dtype = WR_DTYPE_U8, .ndim = 3, .shape = {image.height, image.width, 4},
                      .count = bytes, .byte_size = bytes, .data = out->data};
    return true;
}

bool cli_png_write(const char* path, const wr_array* a, char* error, size_t error_size) {
    if (a->dtype != WR_DTYPE_U8 || a->ndim != 3 || a->shape[2] != 4) {
        snprintf(error, error_size, "%s: PNG output needs an rgba8unorm texture; write .npy for other formats", path);
        return false;
    }
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)a->shape[1];
    image.height = (png_uint_32)a->shape[0];
    image.format = PNG_FORMAT_RGBA;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (!png_image_write_to_file(&image, tmp, 0, a->data, 0, NULL)) {
        snprintf(error, error_size, "%s: cannot write PNG: %s", path, image.message);
        remove(tmp);
        return false;
    }
    if (rename(tmp, path) != 0) {
        snprintf(error, error_size, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        return false;
    }
    return true;
}

#else

static bool unavailable(const char* path, char* error, size_t error_size) {
    snprintf(error, error_size, "%s: PNG is not available in this build (use .npy)", path);
    return false;
}

bool cli_png_read(const char* path, wr_array* out, char* error, size_t error_size) {
    memset(out, 0, sizeof *out);
    return unavailable(path, error, error_size);
}

bool cli_png_write(const char* path, const wr_array* image, char* error, size_t error_size) {
    (void)image;
    return unavailable(path, error, error_size);
}

#endif
