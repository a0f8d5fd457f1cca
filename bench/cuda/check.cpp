#include "check.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

static std::string vformat(const char* fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    int length = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (length < 0) return fmt;
    std::string text(static_cast<size_t>(length) + 1, '\0');
    vsnprintf(&text[0], text.size(), fmt, args);
    text.resize(static_cast<size_t>(length));
    return text;
}

std::string strprintf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string text = vformat(fmt, args);
    va_end(args);
    return text;
}

void throw_bench_error(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string text = vformat(fmt, args);
    va_end(args);
    throw BenchError(text);
}

// Full paths of the build machine would only add noise to result files.
static const char* base_name(const char* path) {
    const char* slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void cuda_check(cudaError_t status, const char* expr, const char* file, int line) {
    if (status == cudaSuccess) return;
    throw_bench_error("%s failed: %s (%s) at %s:%d", expr, cudaGetErrorName(status),
                      cudaGetErrorString(status), base_name(file), line);
}

void cublas_check(cublasStatus_t status, const char* expr, const char* file, int line) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    throw_bench_error("%s failed: %s at %s:%d", expr, cublasGetStatusString(status),
                      base_name(file), line);
}
