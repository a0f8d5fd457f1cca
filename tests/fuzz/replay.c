/* Runs a fuzz harness once over each file named on the command line (or each file in a named
 * directory), so the committed crash reproducers and seeds replay in ordinary ctest builds,
 * without libFuzzer. Exits non-zero when a harness aborts (the process dies) or a file cannot
 * be read. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int replay_file(const char* path) {
    FILE* f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    size_t cap = 4096, size = 0;
    uint8_t* data = malloc(cap);
    size_t n;
    while (data != NULL && (n = fread(data + size, 1, cap - size, f)) > 0) {
        size += n;
        if (size == cap) data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (data == NULL) return 1;
    /* A copy of exactly `size` bytes, so ASan sees a read past the input. */
    uint8_t* exact = malloc(size ? size : 1);
    if (exact == NULL) return 1;
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int replay_path(const char* path, size_t* count) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: does not exist\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    DIR* dir = opendir(path);
    if (dir == NULL) return 1;
    int failures = 0;
    for (struct dirent* e; (e = readdir(dir)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        failures += replay_path(child, count);
    }
    closedir(dir);
    return failures;
}

int main(int argc, char** argv) {
    size_t count = 0;
    int failures = 0;
    for (int i = 1; i < argc; i++) failures += replay_path(argv[i], &count);
    printf("replayed %zu inputs, %d unreadable\n", count, failures);
    return failures == 0 && count > 0 ? 0 : 1;
}
