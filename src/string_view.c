/* webgpu.h's strings (WGPUStringView) to and from C strings. */
#include <string.h>

#include "context.h"

WGPUStringView wr_sv(const char* s) {
    return (WGPUStringView){.data = s, .length = s ? WGPU_STRLEN : 0};
}

void wr_sv_copy(char* dst, size_t dst_size, WGPUStringView sv) {
    if (dst_size == 0) return;
    size_t n = 0;
    if (sv.data != NULL) n = sv.length == WGPU_STRLEN ? strlen(sv.data) : sv.length;
    if (n >= dst_size) n = dst_size - 1;
    if (n > 0) memcpy(dst, sv.data, n);
    dst[n] = '\0';
}
