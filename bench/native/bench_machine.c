/* Where a result was measured: host, CPU, OS, date, and the implementation's package. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static void trim(char* text) {
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\t')) text[--n] = '\0';
}

/* The value of the first line of `path` that starts with `key` and a separator (':' or '='). */
static bool read_keyed_line(const char* path, const char* key, char separator, char* out, size_t size) {
    FILE* f = fopen(path, "r");
    if (f == NULL) return false;
    char line[512];
    bool found = false;
    size_t key_length = strlen(key);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, key_length) != 0) continue;
        char* p = line + key_length;
        while (*p == ' ' || *p == '\t') p++;
        if (*p != separator) continue;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        trim(p);
        snprintf(out, size, "%s", p);
        found = true;
    }
    fclose(f);
    return found;
}

void bench_describe_machine(bench_machine* out) {
    if (gethostname(out->hostname, sizeof out->hostname) != 0) snprintf(out->hostname, sizeof out->hostname, "unknown");
    out->hostname[sizeof out->hostname - 1] = '\0';
    if (!read_keyed_line("/proc/cpuinfo", "model name", ':', out->cpu, sizeof out->cpu))
        snprintf(out->cpu, sizeof out->cpu, "unknown");
    struct utsname names;
    if (uname(&names) == 0) snprintf(out->os, sizeof out->os, "%s %s", names.sysname, names.release);
    else snprintf(out->os, sizeof out->os, "unknown");
}

void bench_utc_now(char* out, size_t size) {
    time_t now = time(NULL);
    struct tm utc;
    if (gmtime_r(&now, &utc) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        snprintf(out, size, "unknown");
}

typedef struct pinned_package {
    const char* impl;
    const char* package;
    const char* lock_key;
} pinned_package;

static const pinned_package pinned_packages[] = {
    {"dawn", "bun-webgpu-linux-x64", "DAWN_NPM_VERSION"},
    {"wgpu", "wgpu-py", "WGPU_WHEEL_VERSION"},
};

void bench_impl_version(const wr_adapter_info* info, char* out, size_t size) {
    snprintf(out, size, "unknown");
    const char* deps = WGSLRUN_SOURCE_DIR "/deps/";
    if (strncmp(info->impl_path, deps, strlen(deps)) != 0) return;
    for (size_t i = 0; i < sizeof pinned_packages / sizeof pinned_packages[0]; i++) {
        const pinned_package* p = &pinned_packages[i];
        char version[64];
        if (strcmp(info->impl_name, p->impl) == 0 &&
            read_keyed_line(WGSLRUN_SOURCE_DIR "/scripts/deps.lock", p->lock_key, '=', version, sizeof version))
            snprintf(out, size, "%s %s", p->package, version);
    }
}
