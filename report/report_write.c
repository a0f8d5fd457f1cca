/* Atomic report output: temporary file, flush, fsync, rename. */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_format.h"

/* mkstemp creates files 0600; a report is meant to be shared like any file the user writes. */
static mode_t new_file_mode(const char* path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
    mode_t mask = umask(0); /* the only way to read the umask is to set it; restored at once */
    umask(mask);
    return 0666 & ~mask;
}

/* Writes and closes `out`; on failure returns false with the first errno in *err. */
static bool finish(FILE* out, rp_writer write, const rp_report* r, int* err) {
    bool ok = write(out, r) && fflush(out) == 0 && !ferror(out);
    if (!ok) *err = errno ? errno : EIO;
    if (ok && fsync(fileno(out)) != 0 && errno != EINVAL) { /* EINVAL: a file system without fsync */
        *err = errno;
        ok = false;
    }
    if (fclose(out) != 0 && ok) {
        *err = errno;
        ok = false;
    }
    return ok;
}

bool rp_write_atomic(const char* path, rp_writer write, const rp_report* r, char* error, size_t error_size) {
    char* temp = rp_strdupf("%s.XXXXXX", path);
    mode_t mode = new_file_mode(path);
    int fd = mkstemp(temp);
    if (fd < 0) {
        snprintf(error, error_size, "%s: cannot write: %s", path, strerror(errno));
        free(temp);
        return false;
    }
    int err = 0;
    FILE* out = NULL;
    if (fchmod(fd, mode) != 0 || (out = fdopen(fd, "w")) == NULL) {
        err = errno;
        close(fd);
    }
    errno = 0;
    bool ok = out != NULL && finish(out, write, r, &err);
    if (ok && rename(temp, path) != 0) {
        err = errno;
        ok = false;
    }
    if (!ok) {
        snprintf(error, error_size, "%s: cannot write: %s", path, strerror(err));
        unlink(temp);
    }
    free(temp);
    return ok;
}
