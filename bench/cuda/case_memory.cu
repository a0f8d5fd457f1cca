// Bandwidth cases: copy, triad, reduce, scan, histogram.
#include "buffers.h"
#include "cases.h"
#include "device_util.cuh"
#include "verify.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

constexpr int kGroup = 256;               // workgroup size of every 1D kernel in the suite
constexpr uint32_t kReducePartials = 1024; // partial_sums workgroups, fixed by the spec
constexpr uint32_t kScanBlock = 4096;      // elements per scan block: 256 threads x 16
constexpr uint32_t kScanMaxBlocks = 16384;
constexpr uint32_t kHistogramMaxGroups = 2048;

// ---------------------------------------------------------------- kernels

__global__ void copy_kernel(const float4* __restrict__ src, float4* __restrict__ dst, uint32_t n) {
    uint64_t i = folded_index();
    if (i < n) dst[i] = src[i];
}

__global__ void triad_kernel(const float4* __restrict__ b, const float4* __restrict__ c,
                             float4* __restrict__ dst, float scalar, uint32_t n) {
    uint64_t i = folded_index();
    if (i >= n) return;
    float4 x = b[i], y = c[i];
    dst[i] = make_float4(x.x + scalar * y.x, x.y + scalar * y.y, x.z + scalar * y.z,
                         x.w + scalar * y.w);
}

// Four independent loads per iteration keep enough requests in flight for full bandwidth
// (the WGSL kernel does the same).
__global__ void partial_sums_kernel(const float4* __restrict__ input, float* __restrict__ partials,
                                    uint32_t n4) {
    const uint32_t stride = gridDim.x * blockDim.x;
    uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
    float4 acc[4] = {};
    for (; i + 3 * stride < n4; i += 4 * stride) {
        float4 v[4];
#pragma unroll
        for (int k = 0; k < 4; ++k) v[k] = input[i + k * stride];
#pragma unroll
        for (int k = 0; k < 4; ++k)
            acc[k] = make_float4(acc[k].x + v[k].x, acc[k].y + v[k].y, acc[k].z + v[k].z, acc[k].w + v[k].w);
    }
    for (; i < n4; i += stride) {
        const float4 v = input[i];
        acc[0] = make_float4(acc[0].x + v.x, acc[0].y + v.y, acc[0].z + v.z, acc[0].w + v.w);
    }
    float sum = 0.f;
#pragma unroll
    for (int k = 0; k < 4; ++k) sum += (acc[k].x + acc[k].y) + (acc[k].z + acc[k].w);
    sum = block_sum(sum);
    if (threadIdx.x == 0) partials[blockIdx.x] = sum;
}

__global__ void final_sum_kernel(const float* __restrict__ partials, float* __restrict__ result,
                                 uint32_t count) {
    float acc = 0.f;
    for (uint32_t i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
    acc = block_sum(acc);
    if (threadIdx.x == 0) result[0] = acc;
}

__global__ void block_sums_kernel(const uint4* __restrict__ input, uint32_t* __restrict__ sums,
                                  uint32_t blocks) {
    const uint32_t block = folded_block();
    if (block >= blocks) return;  // the fold can launch a few groups too many
    const uint4* p = input + static_cast<uint64_t>(block) * (kScanBlock / 4);
    uint32_t acc = 0;
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        uint4 v = p[threadIdx.x + k * kGroup];
        acc += v.x + v.y + v.z + v.w;
    }
    acc = block_sum(acc);
    if (threadIdx.x == 0) sums[block] = acc;
}

// One block turns the block totals into their exclusive prefix sum, in place; each thread
// takes a contiguous chunk so the chunk totals can be scanned across the block.
__global__ void scan_sums_kernel(uint32_t* sums, uint32_t count) {
    const uint32_t chunk = (count + blockDim.x - 1) / blockDim.x;
    const uint32_t begin = min(count, threadIdx.x * chunk), end = min(count, begin + chunk);
    uint32_t acc = 0;
    for (uint32_t i = begin; i < end; ++i) acc += sums[i];
    uint32_t running = block_exclusive_scan(acc);
    for (uint32_t i = begin; i < end; ++i) {
        uint32_t v = sums[i];
        sums[i] = running;
        running += v;
    }
}

// One padding slot per 8 uint4 spreads both the coalesced (i) and the per-thread (4t + k)
// access patterns over all shared-memory banks.
__device__ __forceinline__ uint32_t padded(uint32_t i) { return i + (i >> 3); }

__global__ void __launch_bounds__(kGroup) scan_blocks_kernel(const uint4* __restrict__ input,
                                                             uint4* __restrict__ output,
                                                             const uint32_t* __restrict__ sums,
                                                             uint32_t blocks) {
    constexpr uint32_t kVecs = kScanBlock / 4;
    __shared__ uint4 tile[kVecs + kVecs / 8];
    const uint32_t block = folded_block();
    if (block >= blocks) return;
    const uint64_t base = static_cast<uint64_t>(block) * kVecs;
    const uint32_t t = threadIdx.x;
#pragma unroll
    for (int k = 0; k < 4; ++k) tile[padded(t + k * kGroup)] = input[base + t + k * kGroup];
    __syncthreads();

    // Thread t owns the 16 consecutive elements 16t .. 16t + 15 of the block.
    uint32_t v[16];
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        uint4 q = tile[padded(4 * t + k)];
        v[4 * k] = q.x, v[4 * k + 1] = q.y, v[4 * k + 2] = q.z, v[4 * k + 3] = q.w;
    }
#pragma unroll
    for (int k = 1; k < 16; ++k) v[k] += v[k - 1];
    const uint32_t offset = block_exclusive_scan(v[15]) + sums[block];
#pragma unroll
    for (int k = 0; k < 4; ++k)
        tile[padded(4 * t + k)] = make_uint4(v[4 * k] + offset, v[4 * k + 1] + offset,
                                             v[4 * k + 2] + offset, v[4 * k + 3] + offset);
    __syncthreads();
#pragma unroll
    for (int k = 0; k < 4; ++k) output[base + t + k * kGroup] = tile[padded(t + k * kGroup)];
}

// Workgroup-private bins, then one global atomicAdd per non-empty bin per block, as the WGSL
// kernel does. Keys are read as uint4; a tail of n % 4 keys is read singly.
__global__ void __launch_bounds__(kGroup) histogram_kernel(const uint32_t* __restrict__ keys,
                                                           uint32_t* __restrict__ bins, uint32_t n) {
    __shared__ uint32_t local[256];
    local[threadIdx.x] = 0;
    __syncthreads();
    const uint32_t stride = gridDim.x * blockDim.x, first = blockIdx.x * blockDim.x + threadIdx.x;
    const uint32_t n4 = n / 4;
    const uint4* keys4 = reinterpret_cast<const uint4*>(keys);
    for (uint32_t i = first; i < n4; i += stride) {
        uint4 k = keys4[i];
        atomicAdd(&local[k.x & 255u], 1u);
        atomicAdd(&local[k.y & 255u], 1u);
        atomicAdd(&local[k.z & 255u], 1u);
        atomicAdd(&local[k.w & 255u], 1u);
    }
    for (uint32_t i = 4 * n4 + first; i < n; i += stride) atomicAdd(&local[keys[i] & 255u], 1u);
    __syncthreads();
    const uint32_t count = local[threadIdx.x];
    if (count != 0) atomicAdd(&bins[threadIdx.x], count);
}

// ---------------------------------------------------------------- cases

void copy_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");  // vec4 elements
    std::vector<float> src(4ull * n), got(4ull * n);
    env.rng.fill_uniform(src.data(), src.size(), 0.f, 1.f);
    DeviceArray<float4> d_src(n), d_dst(n);
    d_src.upload(reinterpret_cast<const float4*>(src.data()));
    const dim3 grid = fold_grid(ceil_div(n, kGroup));
    auto run_once = [&] {
        copy_kernel<<<grid, kGroup>>>(d_src.get(), d_dst.get(), n);
        CUDA_CHECK_LAUNCH();
    };
    d_dst.poison();
    run_and_wait(run_once);
    d_dst.download(reinterpret_cast<float4*>(got.data()));
    if (!record_verification(r, compare_bytes(got.data(), src.data(), d_dst.bytes()))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

void triad_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");
    const float scalar = suite_constant(c, "scalar");
    std::vector<float> b(4ull * n), cc(4ull * n), want(4ull * n), got(4ull * n);
    env.rng.fill_uniform(b.data(), b.size(), 0.f, 1.f);
    env.rng.fill_uniform(cc.data(), cc.size(), 0.f, 1.f);
    for (size_t i = 0; i < want.size(); ++i) want[i] = b[i] + scalar * cc[i];
    DeviceArray<float4> d_b(n), d_c(n), d_dst(n);
    d_b.upload(reinterpret_cast<const float4*>(b.data()));
    d_c.upload(reinterpret_cast<const float4*>(cc.data()));
    const dim3 grid = fold_grid(ceil_div(n, kGroup));
    auto run_once = [&] {
        triad_kernel<<<grid, kGroup>>>(d_b.get(), d_c.get(), d_dst.get(), scalar, n);
        CUDA_CHECK_LAUNCH();
    };
    d_dst.poison();
    run_and_wait(run_once);
    d_dst.download(reinterpret_cast<float4*>(got.data()));
    if (!record_verification(r, compare_relative(got.data(), want.data(), got.size(), verify_tolerance(c)))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

Verification check_sum(float got, double want, double tolerance) {
    Verification v;
    v.max_error = std::isnan(got) ? INFINITY : std::fabs(got - want) / std::fabs(want);
    if (!(v.max_error <= tolerance)) {
        v.ok = false;
        v.error = strprintf("sum is %.9g, expected %.17g (relative error %.3g > %g)", got, want,
                            v.max_error, tolerance);
    }
    return v;
}

void reduce_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");  // f32 elements
    if (n == 0 || n % 4) throw_bench_error("reduce: n = %u must be a positive multiple of 4", n);
    std::vector<float> input(n);
    env.rng.fill_uniform(input.data(), n, 0.f, 1.f);
    double want = 0;
    for (float x : input) want += x;
    DeviceArray<float> d_input(n), d_partials(kReducePartials), d_result(1);
    d_input.upload(input.data());
    auto run_once = [&] {
        partial_sums_kernel<<<kReducePartials, kGroup>>>(
            reinterpret_cast<const float4*>(d_input.get()), d_partials.get(), n / 4);
        CUDA_CHECK_LAUNCH();
        final_sum_kernel<<<1, kGroup>>>(d_partials.get(), d_result.get(), kReducePartials);
        CUDA_CHECK_LAUNCH();
    };
    d_partials.poison();
    d_result.poison();
    run_and_wait(run_once);
    float got = 0;
    d_result.download(&got);
    if (!record_verification(r, check_sum(got, want, verify_tolerance(c)))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

void scan_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");
    const uint32_t blocks = n / kScanBlock;
    if (n == 0 || n % kScanBlock || blocks > kScanMaxBlocks)
        throw_bench_error("scan: n = %u must be a positive multiple of 4096 with n / 4096 <= 16384", n);
    std::vector<uint32_t> input(n), want(n), got(n);
    env.rng.fill_below(input.data(), n, 256);
    uint32_t running = 0;  // wraps like the GPU's u32
    for (size_t i = 0; i < n; ++i) want[i] = running += input[i];
    DeviceArray<uint32_t> d_input(n), d_output(n), d_sums(blocks);
    d_input.upload(input.data());
    const dim3 grid = fold_grid(blocks);
    auto run_once = [&] {
        const uint4* in4 = reinterpret_cast<const uint4*>(d_input.get());
        block_sums_kernel<<<grid, kGroup>>>(in4, d_sums.get(), blocks);
        CUDA_CHECK_LAUNCH();
        scan_sums_kernel<<<1, kGroup>>>(d_sums.get(), blocks);
        CUDA_CHECK_LAUNCH();
        scan_blocks_kernel<<<grid, kGroup>>>(in4, reinterpret_cast<uint4*>(d_output.get()),
                                             d_sums.get(), blocks);
        CUDA_CHECK_LAUNCH();
    };
    d_output.poison();
    d_sums.poison();
    run_and_wait(run_once);
    d_output.download(got.data());
    if (!record_verification(r, compare_u32(got.data(), want.data(), n))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

void histogram_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");
    if (n == 0) throw_bench_error("histogram: n must be positive");
    std::vector<uint32_t> keys(n), want(256, 0), got(256);
    env.rng.fill_u32(keys.data(), n);
    for (uint32_t k : keys) ++want[k & 255u];
    DeviceArray<uint32_t> d_keys(n), d_bins(256);
    d_keys.upload(keys.data());
    const uint32_t groups = std::min<uint32_t>(ceil_div(n, kGroup), kHistogramMaxGroups);
    auto run_once = [&] {
        histogram_kernel<<<groups, kGroup>>>(d_keys.get(), d_bins.get(), n);
        CUDA_CHECK_LAUNCH();
    };
    d_bins.zero();  // the bins accumulate, so the spec zeroes them instead of poisoning
    run_and_wait(run_once);
    d_bins.download(got.data());
    if (!record_verification(r, compare_u32(got.data(), want.data(), 256))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

}  // namespace

void run_copy(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { copy_body(env, c, r); });
}

void run_triad(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { triad_body(env, c, r); });
}

void run_reduce(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { reduce_body(env, c, r); });
}

void run_scan(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { scan_body(env, c, r); });
}

void run_histogram(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { histogram_body(env, c, r); });
}
