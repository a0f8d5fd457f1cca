/* POSIX functions wasi-libc declares but does not define, which the native runner calls. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* WASI has no host name; the page passes the machine's in the environment (run.mjs). */
int gethostname(char* name, size_t size) {
    const char* host = getenv("HOSTNAME");
    if (size == 0) return -1;
    snprintf(name, size, "%s", host != NULL && host[0] != '\0' ? host : "unknown");
    return 0;
}
