/* Writing the report so that it appears whole or not at all. */
#ifndef WGSLRUN_REPORT_WRITE_H
#define WGSLRUN_REPORT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

typedef bool (*rp_writer)(FILE* out, const rp_report* r);

/* Runs `write` into a new temporary file next to `path`, then renames it over `path`: a failed
 * run (disk full, unwritable directory, a directory in the way) leaves no partial report and
 * an existing report untouched. A new file gets the usual mode (0666 less the umask); a
 * replaced one keeps its mode. False with "PATH: cannot write: REASON" in `error`. */
bool rp_write_atomic(const char* path, rp_writer write, const rp_report* r, char* error, size_t error_size);

#endif
