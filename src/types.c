/* Names and sizes of statuses and element types. */
#include "wgslrun.h"

#include <string.h>

const char* wr_status_name(wr_status status) {
    switch (status) {
    case WR_OK: return "ok";
    case WR_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case WR_ERROR_IO: return "i/o error";
    case WR_ERROR_FORMAT: return "format error";
    case WR_ERROR_LOAD: return "load error";
    case WR_ERROR_ADAPTER: return "adapter error";
    case WR_ERROR_DEVICE: return "device error";
    case WR_ERROR_COMPILE: return "compile error";
    case WR_ERROR_BINDING: return "binding error";
    case WR_ERROR_LIMIT: return "limit exceeded";
    case WR_ERROR_VALIDATION: return "validation error";
    case WR_ERROR_OUT_OF_MEMORY: return "out of memory";
    case WR_ERROR_DEVICE_LOST: return "device lost";
    case WR_ERROR_UNSUPPORTED: return "unsupported";
    case WR_ERROR_TIMEOUT: return "timeout";
    case WR_ERROR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

size_t wr_dtype_size(wr_dtype dtype) {
    switch (dtype) {
    case WR_DTYPE_U8: return 1;
    case WR_DTYPE_F16: return 2;
    case WR_DTYPE_F32: case WR_DTYPE_I32: case WR_DTYPE_U32: return 4;
    case WR_DTYPE_F64: return 8;
    case WR_DTYPE_INVALID: break;
    }
    return 0;
}

static const char* const dtype_names[] = {
    [WR_DTYPE_INVALID] = "invalid", [WR_DTYPE_F16] = "f16", [WR_DTYPE_F32] = "f32",
    [WR_DTYPE_F64] = "f64",         [WR_DTYPE_I32] = "i32", [WR_DTYPE_U32] = "u32",
    [WR_DTYPE_U8] = "u8",
};

const char* wr_dtype_name(wr_dtype dtype) {
    if ((size_t)dtype >= sizeof dtype_names / sizeof dtype_names[0]) return "invalid";
    return dtype_names[dtype];
}

wr_dtype wr_dtype_parse(const char* name) {
    if (name == NULL) return WR_DTYPE_INVALID;
    for (size_t i = 1; i < sizeof dtype_names / sizeof dtype_names[0]; i++)
        if (strcmp(name, dtype_names[i]) == 0) return (wr_dtype)i;
    return WR_DTYPE_INVALID;
}
