/* Filling a wr_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

wr_status wr_error_set(wr_error* err, wr_status status, const char* fmt, ...) {
    if (err != NULL) {
        err->status = status;
        va_list args;
        va_start(args, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, args);
        va_end(args);
    }
    return status;
}

void wr_error_clear(wr_error* err) {
    if (err != NULL) {
        err->status = WR_OK;
        err->message[0] = '\0';
    }
}
