/* Minimal assertions for wgslrun's C tests: each failed CHECK prints file:line and the
 * expression, the test keeps going, and check_summary() prints "N passed, N failed" and
 * returns the process exit code. */
#ifndef WGSLRUN_TESTS_CHECK_H
#define WGSLRUN_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed_count;
static int check_failed_count;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            check_passed_count++;                                                    \
        } else {                                                                     \
            check_failed_count++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_MSG(cond, ...)                                                         \
    do {                                                                             \
        if (cond) {                                                                  \
            check_passed_count++;                                                    \
        } else {                                                                     \
            check_failed_count++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
        }                                                                            \
    } while (0)

#define CHECK_CONTAINS(haystack, needle) check_contains(__FILE__, __LINE__, (haystack), (needle))

static inline void check_contains(const char* file, int line, const char* haystack, const char* needle) {
    if (haystack != NULL && strstr(haystack, needle) != NULL) {
        check_passed_count++;
        return;
    }
    check_failed_count++;
    fprintf(stderr, "%s:%d: CHECK failed: \"%s\" lacks \"%s\"\n", file, line, haystack ? haystack : "(null)", needle);
}

static inline int check_summary(void) {
    printf("%d passed, %d failed\n", check_passed_count, check_failed_count);
    return check_failed_count == 0 ? 0 : 1;
}

#endif
