/* Reading a WGSL file whole, for the CLI's commands and the native benchmark's kernels. */
#ifndef WGSLRUN_COMMON_WGSL_FILE_H
#define WGSLRUN_COMMON_WGSL_FILE_H

#include <stddef.h>

/* The file as NUL-terminated text (free it); NULL with a message naming the file on failure,
 * including a file holding a NUL byte. */
char* read_wgsl_file(const char* path, char* error, size_t error_size);

#endif
