/* Where a binding's data comes from: .npy and raw files, generators, and literal values. */
#ifndef WGSLRUN_CLI_SOURCES_H
#define WGSLRUN_CLI_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "wgslrun.h"

typedef enum cli_source_kind {
    CLI_SOURCE_NPY,      /* file.npy */
    CLI_SOURCE_RAW,      /* file.bin:f32 */
    CLI_SOURCE_ZEROS,    /* zeros:f32:N */
    CLI_SOURCE_IOTA,     /* iota:u32:N           0, 1, 2, ... */
    CLI_SOURCE_RANDOM,   /* random:f32:N[:seed]  floats in [0,1); integers over their full range */
    CLI_SOURCE_FILL,     /* fill:f32:N:VALUE */
    CLI_SOURCE_VALUES,   /* values:u32:4,f32:2.5  literal values packed 4 bytes each (f16: 2) */
} cli_source_kind;

#define CLI_MAX_VALUES 256

typedef struct cli_source {
    cli_source_kind kind;
    char path[1024];
    wr_dtype dtype;              /* for VALUES: the type of the first value */
    uint64_t count;
    uint64_t seed;
    double fill;
    size_t value_count;
    wr_dtype value_types[CLI_MAX_VALUES];
    double values[CLI_MAX_VALUES];
} cli_source;

/* Parses a --bind source; on failure writes a message naming the problem into `error`. */
bool cli_source_parse(const char* spec, cli_source* out, char* error, size_t error_size);

/* Produces the source's bytes as a host array (malloc'd; wr_array_free releases it). */
wr_status cli_source_load(const cli_source* source, wr_array* out, wr_error* err);
/* Produces them straight into the memory `place` gives for their layout (wr_npy_read_into's
 * contract): files are read, and generators write, with no intermediate copy. On failure *out
 * is empty and the placed memory stays its owner's. */
wr_status cli_source_load_into(const cli_source* source, wr_array_place_fn place, void* user, wr_array* out,
                               wr_error* err);

/* IEEE half precision conversions (round to nearest even). */
uint16_t cli_f32_to_f16(float value);
float cli_f16_to_f32(uint16_t bits);

/* Element `i` of `array` as a double, whatever its dtype. */
double cli_array_get(const wr_array* array, size_t i);

#endif
