// Matrix products C = A B (row-major n x n f32): sgemm_naive, and sgemm_tiled as two rows,
// "kernel" (our tiled kernel, the equivalent of the WGSL kernel the suite had before its 128x128
// one, bench/experiments/sgemm_baseline.wgsl) and "cublas" (cuBLAS SGEMM, f32 math). This runner
// keeps its own 64x64 tile: the suite's tile_rows and tile_cols describe the WGSL kernel.
#include "buffers.h"
#include "cases.h"
#include "verify.h"

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

namespace {

constexpr int kNaiveTile = 16;  // workgroup (16, 16), one output each
constexpr int kTile = 64;       // output tile per workgroup of (16, 16) threads
constexpr int kTileK = 16;      // K step held in shared memory

// ---------------------------------------------------------------- kernels

__global__ void sgemm_naive_kernel(const float* __restrict__ a, const float* __restrict__ b,
                                   float* __restrict__ c, uint32_t n) {
    const uint32_t col = blockIdx.x * kNaiveTile + threadIdx.x;
    const uint32_t row = blockIdx.y * kNaiveTile + threadIdx.y;
    if (row >= n || col >= n) return;
    const float* arow = a + static_cast<size_t>(row) * n;
    float acc = 0.f;
    for (uint32_t k = 0; k < n; ++k) acc += arow[k] * b[static_cast<size_t>(k) * n + col];
    c[static_cast<size_t>(row) * n + col] = acc;
}

// Thread (tx, ty) computes the 4x4 outputs at rows 4ty.., columns 4tx.. of the block's 64x64
// tile, as the baseline WGSL kernel does, with its placement of threads: a warp covers 4 x 8 threads
// rather than 16 x 2, so each k reads 8 + 4 float4s of shared memory instead of 2 + 16. A's
// tile is stored transposed (k-major) so both operands are one 16-byte shared load per k; the
// row padding keeps those loads aligned. The next K tile's global loads are issued before the
// current tile is multiplied, again as in the WGSL kernel.
__global__ void __launch_bounds__(256) sgemm_tiled_kernel(const float* __restrict__ a,
                                                          const float* __restrict__ b,
                                                          float* __restrict__ c, uint32_t n) {
    __shared__ __align__(16) float a_tile[kTileK][kTile + 4];
    __shared__ __align__(16) float b_tile[kTileK][kTile];
    const int t = threadIdx.y * 16 + threadIdx.x;
    const int tx = (t % 4) + 4 * ((t / 32) % 4), ty = (t / 4) % 8 + 8 * (t / 128);
    const size_t row0 = static_cast<size_t>(blockIdx.y) * kTile;
    const size_t col0 = static_cast<size_t>(blockIdx.x) * kTile;
    const int a_row = t / 4, a_k = (t % 4) * 4;     // one float4 of A's 64x16 tile each
    const int b_k = t / 16, b_col = (t % 16) * 4;   // one float4 of B's 16x64 tile each
    const float* a_src = a + (row0 + a_row) * n + a_k;
    const float* b_src = b + static_cast<size_t>(b_k) * n + col0 + b_col;
    float4 a_next = *reinterpret_cast<const float4*>(a_src);
    float4 b_next = *reinterpret_cast<const float4*>(b_src);
    float acc[4][4] = {};
    for (uint32_t k0 = 0; k0 < n; k0 += kTileK) {
        a_tile[a_k + 0][a_row] = a_next.x;
        a_tile[a_k + 1][a_row] = a_next.y;
        a_tile[a_k + 2][a_row] = a_next.z;
        a_tile[a_k + 3][a_row] = a_next.w;
        *reinterpret_cast<float4*>(&b_tile[b_k][b_col]) = b_next;
        __syncthreads();
        if (k0 + kTileK < n) {
            a_src += kTileK;
            b_src += static_cast<size_t>(kTileK) * n;
            a_next = *reinterpret_cast<const float4*>(a_src);
            b_next = *reinterpret_cast<const float4*>(b_src);
        }
#pragma unroll
        for (int k = 0; k < kTileK; ++k) {
            const float4 a4 = *reinterpret_cast<const float4*>(&a_tile[k][ty * 4]);
            const float4 b4 = *reinterpret_cast<const float4*>(&b_tile[k][tx * 4]);
            const float ar[4] = {a4.x, a4.y, a4.z, a4.w}, br[4] = {b4.x, b4.y, b4.z, b4.w};
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(ar[i], br[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; ++i)
        *reinterpret_cast<float4*>(c + (row0 + ty * 4 + i) * n + col0 + tx * 4) =
            make_float4(acc[i][0], acc[i][1], acc[i][2], acc[i][3]);
}

// ---------------------------------------------------------------- verification

// Sampled outputs against a double-precision product: max abs error / (max |ref| + 1).
// Every output is also checked for NaN, i.e. for a poisoned element never written.
Verification check_product(Env& env, const std::vector<float>& a, const std::vector<float>& b,
                           const std::vector<float>& c, uint32_t n, const SuiteCase& suite_case) {
    const double tolerance = verify_tolerance(suite_case);
    const size_t samples = static_cast<size_t>(verify_count(suite_case, suite_case.verify.samples, "samples"));
    const size_t total = static_cast<size_t>(n) * n;
    size_t nan_at = first_nan(c.data(), total);
    if (nan_at < total) {
        Verification v;
        v.ok = false;
        v.max_error = INFINITY;
        v.error = strprintf("c[%zu] (row %zu, column %zu) is NaN: not written", nan_at,
                            nan_at / n, nan_at % n);
        return v;
    }
    const bool all = n <= static_cast<uint32_t>(suite_case.verify.check_all_up_to_n);
    const size_t count = all ? total : samples;
    double max_abs_error = 0, max_ref = 0;
    size_t worst = 0;
    for (size_t s = 0; s < count; ++s) {
        size_t row = all ? s / n : env.rng.below(n), col = all ? s % n : env.rng.below(n);
        double ref = 0;
        for (uint32_t k = 0; k < n; ++k)
            ref += static_cast<double>(a[row * n + k]) * b[static_cast<size_t>(k) * n + col];
        double err = std::fabs(c[row * n + col] - ref);
        if (err > max_abs_error) max_abs_error = err, worst = row * n + col;
        max_ref = std::fmax(max_ref, std::fabs(ref));
    }
    Verification v;
    v.max_error = max_abs_error / (max_ref + 1.0);
    if (!(v.max_error <= tolerance)) {
        v.ok = false;
        v.error = strprintf("c[%zu] is off by %.3g; max abs error / (max |ref| + 1) = %.3g > %g",
                            worst, max_abs_error, v.max_error, tolerance);
    }
    return v;
}

// Inputs, device buffers and the shared verify-then-time flow of every sgemm row.
struct SgemmData {
    explicit SgemmData(Env& env, uint32_t n)
        : n(n), a(static_cast<size_t>(n) * n), b(a.size()), d_a(a.size()), d_b(a.size()), d_c(a.size()) {
        env.rng.fill_uniform(a.data(), a.size(), -1.f, 1.f);
        env.rng.fill_uniform(b.data(), b.size(), -1.f, 1.f);
        d_a.upload(a.data());
        d_b.upload(b.data());
    }
    uint32_t n;
    std::vector<float> a, b;
    DeviceArray<float> d_a, d_b, d_c;
};

void verify_and_time(Env& env, const SuiteCase& c, CaseResult& r, SgemmData& data,
                     const std::function<void()>& run_once) {
    data.d_c.poison();
    run_and_wait(run_once);
    std::vector<float> got(data.a.size());
    data.d_c.download(got.data());
    if (!record_verification(r, check_product(env, data.a, data.b, got, data.n, c))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

uint32_t sgemm_size(const SuiteCase& c, uint32_t multiple) {
    const uint32_t n = param_u32(c, "n");
    if (n == 0 || n % multiple || n > 32768)
        throw_bench_error("%s: n = %u must be a positive multiple of %u (at most 32768)",
                          c.id.c_str(), n, multiple);
    return n;
}

void naive_body(Env& env, const SuiteCase& c, CaseResult& r) {
    SgemmData data(env, sgemm_size(c, kNaiveTile));
    const dim3 grid(data.n / kNaiveTile, data.n / kNaiveTile), block(kNaiveTile, kNaiveTile);
    verify_and_time(env, c, r, data, [&] {
        sgemm_naive_kernel<<<grid, block>>>(data.d_a.get(), data.d_b.get(), data.d_c.get(), data.n);
        CUDA_CHECK_LAUNCH();
    });
}

void tiled_kernel_body(Env& env, const SuiteCase& c, CaseResult& r, SgemmData& data) {
    const dim3 grid(data.n / kTile, data.n / kTile), block(16, 16);
    r.note = "own CUDA kernel: 64x64 tile per 16x16 block, 4x4 outputs per thread, K tiles of 16 "
             "in shared memory (the WGSL suite kernel before its 128x128 one)";
    verify_and_time(env, c, r, data, [&] {
        sgemm_tiled_kernel<<<grid, block>>>(data.d_a.get(), data.d_b.get(), data.d_c.get(), data.n);
        CUDA_CHECK_LAUNCH();
    });
}

void cublas_body(Env& env, const SuiteCase& c, CaseResult& r, SgemmData& data) {
    r.note = "cuBLAS cublasSgemm, CUBLAS_DEFAULT_MATH (f32, no TF32 tensor cores)";
    const int n = static_cast<int>(data.n);
    const float alpha = 1.f, beta = 0.f;
    // cuBLAS is column-major: the row-major A, B, C are A^T, B^T, C^T to it, and
    // C^T = B^T A^T, so passing B first yields the row-major C = A B.
    verify_and_time(env, c, r, data, [&] {
        CUBLAS_CHECK(cublasSgemm(env.cublas, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha,
                                 data.d_b.get(), n, data.d_a.get(), n, &beta, data.d_c.get(), n));
    });
}

}  // namespace

void run_sgemm_naive(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { naive_body(env, c, r); });
}

// Both rows share one set of inputs; a failure to set them up fails both rows.
void run_sgemm_tiled(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    std::unique_ptr<SgemmData> data;
    std::string setup_error;
    try {
        if (env.lost.empty()) data.reset(new SgemmData(env, sgemm_size(c, kTile)));
    } catch (const std::exception& e) {
        setup_error = e.what();
        env.recover();
    }
    auto row = [&](const char* variant, void (*body)(Env&, const SuiteCase&, CaseResult&, SgemmData&)) {
        run_unit(env, new_result(c, variant), out, [&](CaseResult& r) {
            if (!data) throw BenchError(setup_error);
            body(env, c, r, *data);
        });
    };
    row("kernel", tiled_kernel_body);
    row("cublas", cublas_body);
}

// sgemm_subgroups has no CUDA kernel of its own: its counterpart is cuBLAS, the reference of
// every SGEMM row (warp-level sharing is what cuBLAS's kernels are built from).
void run_sgemm_subgroups(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) {
        SgemmData data(env, sgemm_size(c, kTile));
        cublas_body(env, c, r, data);
    });
}
