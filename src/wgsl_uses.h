/* Internal: which module-scope variables a WGSL entry point reaches. */
#ifndef WGSLRUN_SRC_WGSL_USES_H
#define WGSLRUN_SRC_WGSL_USES_H

#include <stdbool.h>
#include <stddef.h>

#include "wgslrun.h"

/* Sets used[i] for every binding of `info` that the body of function `entry`, or a function it
 * calls (transitively), names. WebGPU's automatic layouts contain exactly those bindings. */
void wr_wgsl_mark_used_bindings(const char* source, size_t length, const wr_shader_info* info,
                                const char* entry, bool* used);

/* Finds two bindings marked in `used` that share a @group/@binding (first < second, in
 * declaration order); false when there are none. */
bool wr_wgsl_find_binding_conflict(const wr_shader_info* info, const bool* used, size_t* first,
                                   size_t* second);

#endif
