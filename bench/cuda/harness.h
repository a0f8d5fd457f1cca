// The part every case shares: the CUDA context (events, cuBLAS), the spec's
// verify-then-time procedure, and the recording of each result.
#pragma once

#include "check.h"
#include "result.h"
#include "rng.h"
#include "suite.h"

#include <functional>
#include <string>
#include <vector>

class Env {
public:
    // False with a message when there is no usable device.
    bool init(int device, TimingPolicy timing, unsigned long long seed, std::string* error);
    ~Env();

    // After a failed case: if the context is broken (a sticky error such as an illegal address),
    // reset the device and recreate what lives in it, so the following cases still run; when
    // that fails, `lost` says so and the remaining cases are recorded as not run.
    void recover();

    TimingPolicy timing;
    std::string lost;  // set when recover() failed: why every later case is not run
    Rng rng{1};
    cudaEvent_t start = nullptr, stop = nullptr;
    cublasHandle_t cublas = nullptr;
    cudaDeviceProp props{};

private:
    void create_objects();
    void destroy_objects();
    int device_ = 0;
};

// The spec's fold of a 1D dispatch: rows = ceil(groups / 65535) in y, ceil(groups / rows) in x.
dim3 fold_grid(uint64_t groups);
uint32_t ceil_div(uint64_t a, uint64_t b);

struct Verification {
    bool ok = true;
    double max_error = 0;
    std::string error;  // the first failure, when !ok
};

// Stores the verification outcome in the result; true when timing should follow.
bool record_verification(CaseResult& r, const Verification& v);

enum class Clock { Gpu, Wall };

// Runs the timing policy: `warmup` untimed samples, then timed ones until the suite's rule
// (noise_if_done: RSD target, time cap, sample counts) stops them, each sample `inner` calls
// of run_once back to back. Records per-run GPU (CUDA events) and wall times and the noise;
// `clock` says which one the metric uses.
void time_samples(Env& env, int inner, const std::function<void()>& run_once, CaseResult& r,
                  Clock clock);

// Before the first case (bench_cuda --settle): a loop of a copy kernel until the last 5
// samples agree within 3% (after at least a second) or max_seconds pass; an idle GPU runs at
// a low clock. Clocks are never set.
struct SettleResult {
    double seconds = 0, spread = NAN;
    int samples = 0;
    bool settled = false;
};
SettleResult settle_gpu(Env& env, double max_seconds);

// The metric's time in seconds (median per-run time of the clock the result uses).
double median_seconds(const CaseResult& r);

// A result row for a case (and variant), with the suite's class and metric filled in and the
// size's numeric parameters copied.
CaseResult new_result(const SuiteCase& c, const std::string& variant);

// Runs one result's body, turns a BenchError into a failed result, appends the result and
// prints a progress line. The body verifies, and times only when verification passed.
void run_unit(Env& env, CaseResult r, std::vector<CaseResult>& out,
              const std::function<void(CaseResult&)>& body);

// The verification run: one run of the case on poisoned outputs, waited for.
void run_and_wait(const std::function<void()>& run_once);

// GB/s (10^9 bytes per second) for `bytes` moved per run at the result's median time.
double gigabytes_per_second(const CaseResult& r, double bytes);
