// The suite's cases in CUDA. Each function appends one result per variant (and per size for
// transfer) to `out`; the semantics are bench/README.md's.
#pragma once

#include "harness.h"

#include <vector>

typedef void (*CaseFn)(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);

// bandwidth cases (case_memory.cu); reduce_subgroups runs reduce's kernels, whose block sums
// already use warp shuffles
void run_copy(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_triad(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_reduce(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_scan(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_histogram(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// matrix products (case_sgemm.cu): sgemm_tiled yields variants "kernel" and "cublas"
void run_sgemm_naive(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_sgemm_tiled(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// sgemm_subgroups: cuBLAS, one row
void run_sgemm_subgroups(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// scan_lookback: CUB's DeviceScan::InclusiveSum (case_lookback.cu)
void run_scan_lookback(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// other compute cases (case_compute.cu)
void run_nbody(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_stencil(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_mandelbrot(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// overhead and transfer cases (case_overhead.cu)
void run_dispatch(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
void run_transfer(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);
// e2e_saxpy yields the spec's pageable row (variant null) and a "pinned" one
void run_e2e_saxpy(Env& env, const SuiteCase& c, std::vector<CaseResult>& out);

