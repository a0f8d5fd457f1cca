/* Internal: copies between ordinary host memory and mapped staging memory, split over
 * several threads in native builds (one thread cannot saturate the PCIe link when one side is
 * write-combined or uncached mapped memory) and a plain memcpy in the wasm32 build. */
#ifndef WGSLRUN_SRC_HOST_COPY_H
#define WGSLRUN_SRC_HOST_COPY_H

#include <stddef.h>
#include <stdint.h>

/* The number of copy threads a context uses for `requested` (0: the default). */
uint32_t wr_host_copy_threads(uint32_t requested);
/* memcpy(dst, src, size) over up to `threads` threads; the caller's thread takes one part. */
void wr_host_copy(void* dst, const void* src, size_t size, uint32_t threads);

#endif
