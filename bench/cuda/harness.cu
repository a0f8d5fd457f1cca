#include "harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

bool Env::init(int device, TimingPolicy policy, unsigned long long seed, std::string* error) {
    timing = policy;
    rng = Rng(seed);
    device_ = device;
    try {
        int count = 0;
        CUDA_CHECK(cudaGetDeviceCount(&count));
        if (device < 0 || device >= count)
            throw_bench_error("no CUDA device %d (%d present)", device, count);
        CUDA_CHECK(cudaSetDevice(device));
        CUDA_CHECK(cudaGetDeviceProperties(&props, device));
        create_objects();
    } catch (const BenchError& e) {
        *error = e.what();
        return false;
    }
    return true;
}

Env::~Env() { destroy_objects(); }

void Env::create_objects() {
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&stop));
    CUBLAS_CHECK(cublasCreate(&cublas));
    // FP32 in, FP32 math out: TF32 tensor cores would make the cuBLAS row incomparable with
    // the f32 WGSL kernels.
    CUBLAS_CHECK(cublasSetMathMode(cublas, CUBLAS_DEFAULT_MATH));
}

void Env::destroy_objects() {
    if (cublas) cublasDestroy(cublas);
    if (start) cudaEventDestroy(start);
    if (stop) cudaEventDestroy(stop);
    cublas = nullptr;
    start = stop = nullptr;
}

void Env::recover() {
    if (!lost.empty()) return;
    const cudaError_t status = cudaDeviceSynchronize();
    cudaGetLastError();  // clears a non-sticky error so the next case starts clean
    if (status == cudaSuccess) return;
    fprintf(stderr, "bench_cuda: device error (%s); resetting the device\n", cudaGetErrorName(status));
    // CUDA documents a sticky error as needing a new process; a reset is tried all the same
    // (it did not help on the H100 test machine), and when it fails the remaining cases are
    // recorded as not run rather than each failing with a confusing secondary error.
    destroy_objects();
    cudaDeviceReset();
    try {
        CUDA_CHECK(cudaSetDevice(device_));
        CUDA_CHECK(cudaFree(nullptr));  // creates the context now rather than in a case
        create_objects();
        return;
    } catch (const BenchError& e) {
        destroy_objects();
        lost = strprintf("not run: the device could not be used again after a sticky CUDA error "
                         "(%s; %s); run the remaining cases again with --filter",
                         cudaGetErrorName(status), e.what());
    }
    fprintf(stderr, "bench_cuda: %s\n", lost.c_str());
}

uint32_t ceil_div(uint64_t a, uint64_t b) { return static_cast<uint32_t>((a + b - 1) / b); }

dim3 fold_grid(uint64_t groups) {
    if (groups == 0) throw_bench_error("empty dispatch");
    // Balanced, as the spec folds: (limit, 2) for limit + 1 groups would launch twice the work.
    uint64_t y = (groups + 65534) / 65535;
    uint64_t x = (groups + y - 1) / y;
    if (y > 65535) throw_bench_error("dispatch of %llu groups is too large to fold", (unsigned long long)groups);
    return dim3(static_cast<unsigned>(x), static_cast<unsigned>(y), 1);
}

bool record_verification(CaseResult& r, const Verification& v) {
    r.max_error = v.max_error;
    r.verified = v.ok ? 1 : 0;
    if (!v.ok) r.error = v.error.empty() ? "verification failed" : v.error;
    return v.ok;
}

static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void time_samples(Env& env, int inner, const std::function<void()>& run_once, CaseResult& r,
                  Clock clock) {
    r.timing = clock == Clock::Gpu ? "gpu" : "wall";
    r.gpu_ms.clear();
    r.wall_ms.clear();
    r.noise = Noise{};
    auto timed_since = std::chrono::steady_clock::now();
    const auto warm_since = timed_since;
    bool warming = true;
    // Warm-up samples (by count and by time: the GPU idles down while a case's CPU reference
    // runs), then timed ones until the suite's rule stops them (noise_if_done).
    for (int s = 0;; ++s) {
        // The wall clock starts on an idle device so it measures this sample alone.
        CUDA_CHECK(cudaDeviceSynchronize());
        if (warming && s >= env.timing.warmup && seconds_since(warm_since) >= env.timing.warmup_seconds) {
            warming = false;
            timed_since = std::chrono::steady_clock::now();
        }
        auto t0 = std::chrono::steady_clock::now();
        CUDA_CHECK(cudaEventRecord(env.start));
        for (int k = 0; k < inner; ++k) run_once();
        CUDA_CHECK(cudaEventRecord(env.stop));
        CUDA_CHECK(cudaDeviceSynchronize());
        double wall_ms = 1e3 * seconds_since(t0);
        CUDA_CHECK_LAUNCH();
        float gpu_ms = 0;
        CUDA_CHECK(cudaEventElapsedTime(&gpu_ms, env.start, env.stop));
        if (warming) continue;
        r.gpu_ms.push_back(static_cast<double>(gpu_ms) / inner);
        r.wall_ms.push_back(wall_ms / inner);
        if (noise_if_done(env.timing, r.metric_times(), seconds_since(timed_since), &r.noise)) return;
    }
}

// The warm-up load: a bandwidth-bound copy of 16 MiB, launched back to back.
static __global__ void settle_copy(const float4* src, float4* dst, unsigned n) {
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) dst[i] = src[i];
}

SettleResult settle_gpu(Env& env, double max_seconds) {
    const unsigned n = 1u << 20;
    const int window = 5;
    SettleResult out;
    float4 *src = nullptr, *dst = nullptr;
    CUDA_CHECK(cudaMalloc(&src, n * sizeof(float4)));
    CUDA_CHECK(cudaMalloc(&dst, n * sizeof(float4)));
    double ring[window] = {0};
    int inner = 1;
    auto t0 = std::chrono::steady_clock::now();
    while (out.seconds < max_seconds) {
        CUDA_CHECK(cudaEventRecord(env.start));
        for (int k = 0; k < inner; ++k) settle_copy<<<n / 256, 256>>>(src, dst, n);
        CUDA_CHECK(cudaEventRecord(env.stop));
        CUDA_CHECK(cudaEventSynchronize(env.stop));
        CUDA_CHECK_LAUNCH();
        float ms = 0;
        CUDA_CHECK(cudaEventElapsedTime(&ms, env.start, env.stop));
        out.seconds = seconds_since(t0);
        if (ms < 10.0f && inner < 4096) {  // too short to time steadily: not a sample yet
            inner *= 2;
            continue;
        }
        ring[out.samples++ % window] = ms / inner;
        if (out.samples < window) continue;
        std::vector<double> last(ring, ring + window);
        std::sort(last.begin(), last.end());
        out.spread = (last.back() - last.front()) / last[window / 2];
        if (out.spread <= 0.03 && out.seconds >= std::min(1.0, max_seconds)) {
            out.settled = true;
            break;
        }
    }
    cudaFree(src);
    cudaFree(dst);
    return out;
}

double median_seconds(const CaseResult& r) { return 1e-3 * median_of(r.metric_times()); }

CaseResult new_result(const SuiteCase& c, const std::string& variant) {
    CaseResult r;
    r.case_id = c.id;
    r.cls = c.cls;
    r.variant = variant;
    r.metric = c.metric;
    for (size_t i = 0; i < json_object_length(c.params); ++i) {
        const json_value* v = json_object_value_at(c.params, i);
        if (json_type_of(v) == JSON_NUMBER)
            r.params.emplace_back(json_object_key_at(c.params, i), json_number(v));
    }
    return r;
}

void run_unit(Env& env, CaseResult r, std::vector<CaseResult>& out,
              const std::function<void(CaseResult&)>& body) {
    std::string name = r.case_id + (r.variant.empty() ? "" : "/" + r.variant);
    fprintf(stderr, "[cuda] %-26s %s ...\n", name.c_str(), describe_params(r).c_str());
    auto t0 = std::chrono::steady_clock::now();
    if (!env.lost.empty()) {
        r.verified = 0;
        r.error = env.lost;
        fprintf(stderr, "[cuda] %-26s FAILED: %s\n", name.c_str(), r.error.c_str());
        out.push_back(r);
        return;
    }
    try {
        body(r);
        if (r.verified < 0 && r.unsupported.empty())
            throw_bench_error("internal: case finished without verifying");
    } catch (const std::exception& e) {  // BenchError, or std::bad_alloc from a host vector
        r.verified = 0;
        r.error = dynamic_cast<const BenchError*>(&e) ? e.what() : std::string("exception: ") + e.what();
        r.gpu_ms.clear();
        r.wall_ms.clear();
        r.metric_value = NAN;
        env.recover();
    }
    fprintf(stderr, "[cuda] %-26s %s  [%.1f s]\n", name.c_str(), describe_outcome(r).c_str(),
            seconds_since(t0));
    fflush(stderr);
    out.push_back(r);
}

void run_and_wait(const std::function<void()>& run_once) {
    run_once();
    CUDA_CHECK(cudaDeviceSynchronize());
    CUDA_CHECK_LAUNCH();
}

double gigabytes_per_second(const CaseResult& r, double bytes) {
    return bytes / median_seconds(r) / 1e9;
}
