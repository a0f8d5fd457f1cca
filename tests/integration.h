/* What the integration tests share: a small seedable generator for random inputs (xorshift64)
 * and the context on the implementation named on their command line. */
#ifndef WGSLRUN_TESTS_INTEGRATION_H
#define WGSLRUN_TESTS_INTEGRATION_H

#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "wgslrun.h"

static uint64_t rng_state = 0x1234567ull;

static inline uint32_t next_u32(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Uniform in [0, 1) with 24 bits, exact in f32. */
static inline float next_unit(void) {
    return (float)(next_u32() & 0xffffff) / (float)0x1000000;
}

/* A context on argv[1] ("dawn" by default), announced on stdout; NULL (a failed check) when
 * the implementation cannot create one. */
static inline wr_context* open_test_context(int argc, char** argv, const char** impl) {
    *impl = argc > 1 ? argv[1] : "dawn";
    wr_error err;
    wr_context* ctx = NULL;
    if (wr_context_create(&(wr_context_desc){.impl = *impl}, &ctx, &err) != WR_OK) {
        fprintf(stderr, "%s: %s\n", *impl, err.message);
        CHECK(false);
        return NULL;
    }
    printf("%s on %s (%s)\n", *impl, wr_context_info(ctx)->device, wr_context_info(ctx)->backend);
    return ctx;
}

#endif
