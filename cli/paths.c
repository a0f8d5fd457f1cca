/* Output paths shared by the commands that write result files, and the binding list of
 * messages (paths.h). */
#include "paths.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool cli_can_write_beside(const char* path, char* dir, size_t dir_size) {
    snprintf(dir, dir_size, "%s", path);
    char* slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
    else snprintf(dir, dir_size, ".");
    return access(dir, W_OK) == 0;
}

void cli_path_with_tag(const char* path, const char* tag, char* out, size_t size) {
    const char* slash = strrchr(path, '/');
    const char* dot = strrchr(path, '.');
    if (dot == NULL || (slash != NULL && dot < slash) || dot == (slash ? slash + 1 : path))
        snprintf(out, size, "%s-%s", path, tag);
    else snprintf(out, size, "%.*s-%s%s", (int)(dot - path), path, tag, dot);
}

void cli_list_bindings(const wr_shader_info* shader, char* out, size_t size) {
    out[0] = '\0';
    for (size_t i = 0; i < shader->binding_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s (@binding(%u))", i ? ", " : "", shader->bindings[i].name,
                 shader->bindings[i].binding);
    }
}
