/* Reading a WGSL file whole, as text (wgsl_file.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgsl_file.h"

char* read_wgsl_file(const char* path, char* error, size_t error_size) {
    FILE* f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(error, error_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char* text = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    rewind(f);
    if (size < 0) snprintf(error, error_size, "%s: cannot read", path);
    else if ((text = malloc((size_t)size + 1)) != NULL && fread(text, 1, (size_t)size, f) == (size_t)size)
        text[size] = '\0';
    else {
        snprintf(error, error_size, "%s: cannot read", path);
        free(text);
        text = NULL;
    }
    fclose(f);
    if (text != NULL && strlen(text) != (size_t)size) {
        snprintf(error, error_size, "%s: contains a NUL byte: not WGSL text", path);
        free(text);
        text = NULL;
    }
    return text;
}
