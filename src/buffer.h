/* Internal: what batches need of a buffer. */
#ifndef WGSLRUN_SRC_BUFFER_H
#define WGSLRUN_SRC_BUFFER_H

#include <webgpu.h>

#include "wgslrun.h"

WGPUBuffer wr_buffer_handle(const wr_buffer* buffer);
const char* wr_buffer_label(const wr_buffer* buffer);

#endif
