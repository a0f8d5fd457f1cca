/* Assertions for the fuzz harnesses: a violated property aborts, which libFuzzer reports as a
 * crash with the input that caused it (and the replay driver as a failed test). */
#ifndef WGSLRUN_FUZZ_CHECK_H
#define WGSLRUN_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#endif
