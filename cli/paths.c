/* Output paths shared by the commands that write result files, the default suite, and the
 * binding list of messages (paths.h). */
#include "paths.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef WGSLRUN_SUITE_FROM_BIN
#define WGSLRUN_SUITE_FROM_BIN "../share/wgslrun/suite.json"
#endif

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

/* The executable's directory, from /proc/self/exe: Linux only, so elsewhere (wasm32-wasi, whose
 * page mounts the source tree) the source tree's suite is the answer. Each leading "../" of
 * the relative path drops a directory, so messages name a plain path. */
static bool installed_suite(char* out, size_t size) {
#if defined(__linux__)
    char dir[1024];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) return false;
    dir[n] = '\0';
    const char* relative = WGSLRUN_SUITE_FROM_BIN;
    char* slash = strrchr(dir, '/');
    for (; slash != NULL && slash != dir && strncmp(relative, "../", 3) == 0; relative += 3) {
        *slash = '\0';
        slash = strrchr(dir, '/');
    }
    if (slash == NULL) return false;
    *slash = '\0';
    snprintf(out, size, "%s/%s", dir, relative);
    return access(out, R_OK) == 0;
#else
    (void)out;
    (void)size;
    return false;
#endif
}

void cli_default_suite(char* out, size_t size) {
    if (!installed_suite(out, size)) snprintf(out, size, "%s/bench/suite.json", WGSLRUN_SOURCE_DIR);
}

void cli_list_bindings(const wr_shader_info* shader, char* out, size_t size) {
    out[0] = '\0';
    for (size_t i = 0; i < shader->binding_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s (@binding(%u))", i ? ", " : "", shader->bindings[i].name,
                 shader->bindings[i].binding);
    }
}
