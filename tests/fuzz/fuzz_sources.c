/* libFuzzer harness for the --bind source parser: any text either parses into a source, or
 * fails with a message; a parsed generator or value list of modest size is also generated, so
 * value conversions (out-of-range fills, f16 rounding) run under UBSan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "sources.h"

/* Generation is linear in the count; larger counts add time, not coverage. */
#define FUZZ_MAX_GENERATED 4096

static void load_and_check(const cli_source* source) {
    bool generated = source->kind != CLI_SOURCE_NPY && source->kind != CLI_SOURCE_RAW;
    if (!generated || (source->kind != CLI_SOURCE_VALUES && source->count > FUZZ_MAX_GENERATED))
        return;
    wr_array array;
    wr_error err = {0};
    FUZZ_ASSERT(cli_source_load(source, &array, &err) == WR_OK);
    FUZZ_ASSERT(array.byte_size == array.count * wr_dtype_size(array.dtype));
    for (size_t i = 0; i < array.count; i++) (void)cli_array_get(&array, i);
    wr_array_free(&array);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    /* A command-line argument ends at its first NUL. */
    char* spec = malloc(size + 1);
    FUZZ_ASSERT(spec != NULL);
    memcpy(spec, data, size);
    spec[size] = '\0';
    cli_source* source = malloc(sizeof *source);
    FUZZ_ASSERT(source != NULL);
    char error[256] = "";
    if (cli_source_parse(spec, source, error, sizeof error)) {
        FUZZ_ASSERT(source->kind == CLI_SOURCE_NPY || source->kind == CLI_SOURCE_RAW ||
                    source->dtype != WR_DTYPE_INVALID);
        FUZZ_ASSERT(memchr(source->path, '\0', sizeof source->path) != NULL);
        load_and_check(source);
    } else {
        FUZZ_ASSERT(error[0] != '\0' && memchr(error, '\0', sizeof error) != NULL);
    }
    free(source);
    free(spec);
    return 0;
}
