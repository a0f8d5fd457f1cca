// Overhead and transfer cases: dispatch, transfer, e2e_saxpy. Their metrics use wall time, as
// the spec says; GPU event times are recorded beside them.
#include "buffers.h"
#include "cases.h"
#include "device_util.cuh"
#include "verify.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr int kGroup = 256;

__global__ void tick_kernel(uint32_t* counter) { atomicAdd(counter, 1u); }

__global__ void saxpy_kernel(const float* __restrict__ x, float* __restrict__ y, float a, uint32_t n) {
    const uint64_t i = folded_index();
    if (i < n) y[i] = a * x[i] + y[i];
}

// ---------------------------------------------------------------- dispatch

// Launches stay unchecked inside the loop so the loop measures launch cost alone; a failed
// launch leaves its error for the check after the loop.
void launch_ticks(uint32_t* counter, uint32_t dispatches, bool wait_each) {
    for (uint32_t k = 0; k < dispatches; ++k) {
        tick_kernel<<<1, 1>>>(counter);
        if (wait_each) CUDA_CHECK(cudaDeviceSynchronize());
    }
    CUDA_CHECK_LAUNCH();
}

void dispatch_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t dispatches = param_u32(c, "dispatches");
    if (dispatches == 0) throw_bench_error("dispatch: dispatches must be positive");
    const bool wait_each = r.variant == "round_trip";
    if (r.variant == "one_pass")
        r.note = "N launches of a 1-thread kernel on one stream, then one cudaDeviceSynchronize";
    else if (r.variant == "submit_each")
        r.note = "CUDA has no separate submit step: same as one_pass (N launches, one "
                 "cudaDeviceSynchronize)";
    else if (wait_each)
        r.note = "launch then cudaDeviceSynchronize, N times";
    else
        throw_bench_error("dispatch: unknown variant '%s'", r.variant.c_str());
    DeviceArray<uint32_t> d_counter(1);
    d_counter.zero();
    auto run_once = [&] { launch_ticks(d_counter.get(), dispatches, wait_each); };
    run_and_wait(run_once);
    uint32_t count = 0;
    d_counter.download(&count);
    Verification v;
    v.max_error = std::fabs(static_cast<double>(count) - dispatches);
    if (count != dispatches) {
        v.ok = false;
        v.error = strprintf("counter is %u after %u dispatches", count, dispatches);
    }
    if (!record_verification(r, v)) return;
    time_samples(env, c.inner, run_once, r, Clock::Wall);
    r.metric_value = suite_metric(r, median_seconds(r));  // microseconds per dispatch
}

// ---------------------------------------------------------------- transfer

// Host memory of either kind behind one interface, so both transfer flavours share the code.
struct HostBytes {
    HostBytes(size_t bytes, bool pinned) {
        if (pinned)
            pinned_mem.reset(new PinnedArray<unsigned char>(bytes));
        else
            pageable_mem.reset(new HostArray<unsigned char>(bytes));
    }
    unsigned char* get() const { return pinned_mem ? pinned_mem->get() : pageable_mem->get(); }
    std::unique_ptr<PinnedArray<unsigned char>> pinned_mem;
    std::unique_ptr<HostArray<unsigned char>> pageable_mem;
};

const char* transfer_note(bool upload, bool pinned) {
    if (pinned)
        return upload ? "cudaMemcpy host to device from pinned cudaMallocHost memory"
                      : "cudaMemcpy device to host into pinned cudaMallocHost memory";
    return upload ? "cudaMemcpy host to device from pageable malloc memory"
                  : "cudaMemcpy device to host into pageable malloc memory";
}

// Upload: random host data goes up, and a readback into separate memory must match it.
// Readback: random data put on the device must come back intact into poisoned host memory.
void transfer_body(Env& env, const SuiteCase& c, CaseResult& r, size_t bytes) {
    const bool upload = r.variant.compare(0, 6, "upload") == 0;
    // wgslrun's *_mapped variants fill or read mapped staging memory directly; CUDA's
    // counterpart of that host-visible memory is a copy from or to pinned memory.
    const bool pinned = r.variant.find("pinned") != std::string::npos ||
                        r.variant.find("mapped") != std::string::npos;
    r.note = transfer_note(upload, pinned);
    if (bytes == 0) throw_bench_error("transfer: bytes must be positive");
    HostArray<unsigned char> data(bytes);
    env.rng.fill_bytes(data.get(), bytes);
    HostBytes host(bytes, pinned);
    DeviceArray<unsigned char> device(bytes);
    HostArray<unsigned char> check(bytes);
    std::function<void()> run_once;
    if (upload) {
        memcpy(host.get(), data.get(), bytes);
        run_once = [&] { CUDA_CHECK(cudaMemcpy(device.get(), host.get(), bytes, cudaMemcpyHostToDevice)); };
        device.poison();
        run_and_wait(run_once);
        check.poison();
        device.download(check.get());
    } else {
        device.upload(data.get());
        run_once = [&] { CUDA_CHECK(cudaMemcpy(host.get(), device.get(), bytes, cudaMemcpyDeviceToHost)); };
        memset(host.get(), 0xFF, bytes);
        run_and_wait(run_once);
        memcpy(check.get(), host.get(), bytes);
    }
    if (!record_verification(r, compare_bytes(check.get(), data.get(), bytes))) return;
    time_samples(env, c.inner, run_once, r, Clock::Wall);
    r.metric_value = suite_metric(r, median_seconds(r));
}

// ---------------------------------------------------------------- e2e_saxpy

// Pageable (the spec's row) or pinned (variant "pinned", CUDA's best host path beside it):
// x and y start in host memory of that kind and y comes back into it.
void e2e_body(Env& env, const SuiteCase& c, CaseResult& r, bool pinned) {
    const uint32_t n = param_u32(c, "n");
    const float a = suite_constant(c, "a");
    if (n == 0) throw_bench_error("e2e_saxpy: n must be positive");
    const size_t bytes = size_t{n} * sizeof(float);
    HostBytes x_mem(bytes, pinned), y_in_mem(bytes, pinned), y_out_mem(bytes, pinned);
    float* x = reinterpret_cast<float*>(x_mem.get());
    float* y_in = reinterpret_cast<float*>(y_in_mem.get());
    float* y_out = reinterpret_cast<float*>(y_out_mem.get());
    env.rng.fill_uniform(x, n, 0.f, 1.f);
    env.rng.fill_uniform(y_in, n, 0.f, 1.f);
    std::vector<float> want(n);
    for (size_t i = 0; i < n; ++i) want[i] = a * x[i] + y_in[i];
    DeviceArray<float> d_x(n), d_y(n);
    const dim3 grid = fold_grid(ceil_div(n, kGroup));
    // y goes up from y_in and comes back into y_out, so every sample starts from the same y.
    auto run_once = [&] {
        d_x.upload(x);
        d_y.upload(y_in);
        saxpy_kernel<<<grid, kGroup>>>(d_x.get(), d_y.get(), a, n);
        CUDA_CHECK_LAUNCH();
        d_y.download(y_out);
    };
    memset(y_out, 0xFF, bytes);
    run_and_wait(run_once);
    if (!record_verification(r, compare_relative(y_out, want.data(), n, verify_tolerance(c)))) return;
    time_samples(env, c.inner, run_once, r, Clock::Wall);
    r.metric_value = suite_metric(r, median_seconds(r));  // ms per sample
    r.note = strprintf("%s, cudaMemcpy x and y in, saxpy, cudaMemcpy y out; 12 n / t = %.2f GB/s",
                       pinned ? "pinned cudaMallocHost memory" : "pageable malloc memory",
                       gigabytes_per_second(r, 12.0 * n));
}

}  // namespace

void run_dispatch(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    std::vector<std::string> variants = c.variants;
    if (variants.empty()) variants = {"one_pass", "submit_each", "round_trip"};
    for (const auto& variant : variants)
        run_unit(env, new_result(c, variant), out, [&](CaseResult& r) { dispatch_body(env, c, r); });
}

// One result per variant and size; the *_pinned variants are CUDA extras beside the spec's
// pageable ones.
void run_transfer(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    std::vector<std::string> variants = c.variants;
    if (variants.empty()) variants = {"upload", "readback"};
    for (const char* extra : {"upload_pinned", "readback_pinned"})
        if (std::find(variants.begin(), variants.end(), extra) == variants.end()) variants.push_back(extra);
    std::vector<double> sizes;
    try {
        sizes = param_integer_list(c, "bytes");
    } catch (const BenchError& e) {
        run_unit(env, new_result(c, ""), out, [&](CaseResult&) { throw e; });
        return;
    }
    for (const auto& variant : variants) {
        for (double bytes : sizes) {
            CaseResult r = new_result(c, variant);
            r.params = {{"bytes", bytes}};
            run_unit(env, r, out, [&](CaseResult& row) { transfer_body(env, c, row, static_cast<size_t>(bytes)); });
        }
    }
}

// The spec's pageable row (variant null), and a "pinned" row beside it, as transfer's extras.
void run_e2e_saxpy(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { e2e_body(env, c, r, false); });
    run_unit(env, new_result(c, "pinned"), out, [&](CaseResult& r) { e2e_body(env, c, r, true); });
}
