// Error handling for the CUDA runner: every failure inside a case becomes a BenchError, so
// the harness records it in that case's result and carries on with the next case instead of
// aborting a one-shot run.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

struct BenchError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

[[noreturn]] void throw_bench_error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

void cuda_check(cudaError_t status, const char* expr, const char* file, int line);
void cublas_check(cublasStatus_t status, const char* expr, const char* file, int line);

#define CUDA_CHECK(call) cuda_check((call), #call, __FILE__, __LINE__)
#define CUBLAS_CHECK(call) cublas_check((call), #call, __FILE__, __LINE__)
// A bad launch configuration is reported only through cudaGetLastError, and the error stays
// there until read, so one check after a loop of launches catches any of them.
#define CUDA_CHECK_LAUNCH() cuda_check(cudaGetLastError(), "kernel launch", __FILE__, __LINE__)
