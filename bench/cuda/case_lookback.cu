// scan_lookback: the one-pass inclusive scan of u32 by decoupled look-back. CUDA's is CUB's
// cub::DeviceScan::InclusiveSum (shipped with the toolkit), which implements that algorithm
// (Merrill and Garland 2016) with its own tuned tile sizes; the WGSL kernel is
// bench/kernels/scan_lookback.wgsl.
#include "buffers.h"
#include "cases.h"
#include "verify.h"

#include <cub/device/device_scan.cuh>

#include <algorithm>
#include <vector>

namespace {

constexpr uint32_t kScanBlock = 4096;  // the suite's sizes, as for scan
constexpr uint32_t kScanMaxBlocks = 16384;

void scan_lookback_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");
    if (n == 0 || n % kScanBlock || n / kScanBlock > kScanMaxBlocks)
        throw_bench_error("scan_lookback: n = %u must be a positive multiple of 4096 with n / 4096 <= 16384", n);
    std::vector<uint32_t> input(n), want(n), got(n);
    env.rng.fill_below(input.data(), n, 256);
    uint32_t running = 0;  // wraps like the GPU's u32
    for (size_t i = 0; i < n; ++i) want[i] = running += input[i];
    DeviceArray<uint32_t> d_input(n), d_output(n);
    d_input.upload(input.data());
    // The first call only sizes CUB's temporary storage (the tile descriptors among it).
    size_t temp_bytes = 0;
    CUDA_CHECK(cub::DeviceScan::InclusiveSum(nullptr, temp_bytes, d_input.get(), d_output.get(),
                                             static_cast<int>(n)));
    DeviceArray<unsigned char> d_temp(std::max<size_t>(temp_bytes, 1));
    r.note = strprintf("CUB cub::DeviceScan::InclusiveSum (decoupled look-back), %zu bytes of temporary storage",
                       temp_bytes);
    auto run_once = [&] {
        CUDA_CHECK(cub::DeviceScan::InclusiveSum(d_temp.get(), temp_bytes, d_input.get(), d_output.get(),
                                                 static_cast<int>(n)));
    };
    d_output.poison();
    run_and_wait(run_once);
    d_output.download(got.data());
    if (!record_verification(r, compare_u32(got.data(), want.data(), n))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

}  // namespace

void run_scan_lookback(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { scan_lookback_body(env, c, r); });
}
