/* Command-line parsing helpers shared by the wgslrun subcommands. */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_option_value(int argc, char** argv, int* i, const char* name, const char** value, char* error,
                     size_t error_size) {
    const char* arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0') return 0;
    if (*i + 1 >= argc) {
        snprintf(error, error_size, "%s needs a value", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

bool cli_parse_u64(const char* text, uint64_t* out) {
    if (text == NULL || *text == '\0' || *text == '-' || *text == '+') return false;
    char* end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0') return false;
    *out = v;
    return true;
}

bool cli_parse_double(const char* text, double* out) {
    if (text == NULL || *text == '\0') return false;
    char* end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno == ERANGE || *end != '\0' || isnan(v)) return false;
    *out = v;
    return true;
}

bool cli_parse_dims(const char* text, uint64_t out[3]) {
    out[0] = out[1] = out[2] = 0;
    char buffer[128];
    if (text == NULL || strlen(text) >= sizeof buffer) return false;
    strcpy(buffer, text);
    int d = 0;
    for (char *part = buffer, *comma; part != NULL; part = comma ? comma + 1 : NULL, d++) {
        comma = strchr(part, ',');
        if (comma) *comma = '\0';
        if (d == 3 || !cli_parse_u64(part, &out[d]) || out[d] == 0) return false;
    }
    return true;
}

bool cli_split_assignment(const char* text, char* name, size_t name_size, const char** value) {
    const char* eq = strchr(text, '=');
    if (eq == NULL || eq == text || (size_t)(eq - text) >= name_size) return false;
    memcpy(name, text, (size_t)(eq - text));
    name[eq - text] = '\0';
    *value = eq + 1;
    return true;
}
