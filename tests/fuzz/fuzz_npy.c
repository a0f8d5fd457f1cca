/* libFuzzer harness for the .npy reader: any byte string either parses into an array whose
 * sizes agree with its shape and whose data can be read to the end, or fails with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "wgslrun.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    wr_array array;
    wr_error err = {0};
    wr_status status = wr_npy_parse(data, size, "fuzz.npy", &array, &err);
    if (status != WR_OK) {
        FUZZ_ASSERT(err.status == status && err.message[0] != '\0');
        FUZZ_ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL);
        return 0;
    }
    FUZZ_ASSERT(array.ndim <= WR_ARRAY_MAX_DIMS);
    size_t count = 1;
    for (uint32_t d = 0; d < array.ndim; d++) count *= array.shape[d];
    FUZZ_ASSERT(count == array.count);
    FUZZ_ASSERT(array.byte_size == array.count * wr_dtype_size(array.dtype));
    FUZZ_ASSERT(array.byte_size <= size);
    /* ASan catches a data block shorter than byte_size here. */
    const unsigned char* bytes = array.data;
    volatile unsigned char sink = 0;
    for (size_t i = 0; i < array.byte_size; i++) sink ^= bytes[i];
    (void)sink;
    wr_array_free(&array);
    return 0;
}
