/* Internal: filling a wr_error. */
#ifndef WGSLRUN_SRC_ERROR_H
#define WGSLRUN_SRC_ERROR_H

#include "wgslrun.h"

#if defined(__GNUC__)
#define WR_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define WR_PRINTF(fmt_index, first_arg)
#endif

/* Sets err (which may be NULL) to `status` and a formatted message; returns `status`. */
wr_status wr_error_set(wr_error* err, wr_status status, const char* fmt, ...) WR_PRINTF(3, 4);
void wr_error_clear(wr_error* err);

#endif
