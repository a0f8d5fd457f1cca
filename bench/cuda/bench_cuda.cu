// bench_cuda: the CUDA reference row of the wgslrun benchmark suite (bench/README.md).
//
//   bench_cuda [--suite PATH] [--size small|large] [--filter REGEX] [--json FILE] [--seed N]
//              [--device N] [--settle SECONDS] [--round N]
//
// Reads suite.json (default: ../suite.json next to this source), runs every case whose id
// matches REGEX with the spec's semantics in CUDA C++, verifies each output against a CPU
// reference, prints a progress line per result to stderr and a table to stdout, and writes the
// wgslrun-result/1 file when --json is given. Exit status: 0 when every case ran (failed
// verifications are data), 1 on I/O or device errors, 2 on usage errors.
#include "cases.h"
#include "sysinfo.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#ifndef BENCH_CUDA_SOURCE_DIR
#define BENCH_CUDA_SOURCE_DIR "."
#endif
#ifndef WGSLRUN_VERSION
#define WGSLRUN_VERSION "unknown"
#endif

namespace {

struct Options {
    std::string suite = BENCH_CUDA_SOURCE_DIR "/../suite.json";
    std::string size = "small";
    std::string filter;
    std::string json;
    unsigned long long seed = 0;
    bool seed_given = false;
    int device = 0;
    double settle = -1;  // < 0: the suite's timing.<size>.settle_seconds
    long round = 0;
};

void usage(FILE* out) {
    fprintf(out,
            "usage: bench_cuda [--suite PATH] [--size small|large] [--filter REGEX] [--json FILE]\n"
            "                  [--seed N] [--device N] [--settle SECONDS] [--round N]\n"
            "  --suite   suite definition (default %s/../suite.json)\n"
            "  --size    suite size to run (default small)\n"
            "  --filter  run the cases whose name ('id', or 'id/variant' for each variant) matches\n"
            "            this POSIX extended regular expression (searched, as in every runner)\n"
            "  --json    write the wgslrun-result/1 file here\n"
            "  --seed    random seed for the inputs (default: from the clock; printed)\n"
            "  --device  CUDA device index (default 0)\n"
            "  --settle  load the GPU with a copy kernel before the first case until timings\n"
            "            agree within 3%% or SECONDS pass; 0: off (default: the suite's settle_seconds)\n"
            "  --round   record \"round\": N in the result file\n",
            BENCH_CUDA_SOURCE_DIR);
}

bool parse_number(const char* text, unsigned long long max, unsigned long long* out) {
    char* end = nullptr;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v > max) return false;
    *out = v;
    return true;
}

bool parse_seconds(const char* text, double* out) {
    char* end = nullptr;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= 0 && v <= 3600)) return false;
    *out = v;
    return true;
}

// 0 when parsed, else the exit status to leave with (0 for --help).
int parse_args(int argc, char** argv, Options* o, bool* help) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            *help = true;
            return 0;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "bench_cuda: %s needs a value\n", arg.c_str());
            return 2;
        }
        const char* value = argv[++i];
        unsigned long long number = 0;
        if (arg == "--suite") {
            o->suite = value;
        } else if (arg == "--size") {
            o->size = value;
        } else if (arg == "--filter") {
            o->filter = value;
        } else if (arg == "--json") {
            o->json = value;
        } else if (arg == "--seed" && parse_number(value, (1ull << 53) - 1, &number)) {
            o->seed = number;
            o->seed_given = true;
        } else if (arg == "--device" && parse_number(value, 1024, &number)) {
            o->device = static_cast<int>(number);
        } else if (arg == "--round" && parse_number(value, 1000000, &number) && number > 0) {
            o->round = static_cast<long>(number);
        } else if (arg == "--settle" && parse_seconds(value, &o->settle)) {  // parsed into o->settle
        } else {
            fprintf(stderr, "bench_cuda: bad option or value: %s %s\n", arg.c_str(), value);
            return 2;
        }
    }
    if (o->size != "small" && o->size != "large") {
        fprintf(stderr, "bench_cuda: --size must be small or large, not '%s'\n", o->size.c_str());
        return 2;
    }
    return 0;
}

std::string join_command(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        if (i) s += ' ';
        const bool quote = strpbrk(argv[i], " \t\"'") != nullptr || argv[i][0] == '\0';
        s += quote ? "'" + std::string(argv[i]) + "'" : std::string(argv[i]);
    }
    return s;
}

std::string version_triplet(int v) {  // cuBLAS: major * 10000 + minor * 100 + patch
    return strprintf("%d.%d.%d", v / 10000, (v / 100) % 100, v % 100);
}

RunInfo gather_run_info(const Env& env, const Options& o, int argc, char** argv) {
    RunInfo info;
    info.adapter = env.props.name;
    info.backend = "cuda";
    info.device_class = "gpu";
    info.hostname = host_name();
    info.cpu = cpu_model();
    info.os = os_description();
    info.date = utc_timestamp();
    info.command = join_command(argc, argv);
    info.size = o.size;
    info.seed = o.seed;
    int driver = 0, runtime = 0, cublas = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    cublasGetVersion(env.cublas, &cublas);
    const std::string nvidia = nvidia_driver_version();
    // The NVIDIA driver's own version is what other runners report; the CUDA driver API
    // version stands in when it cannot be read.
    info.driver = nvidia.empty() ? "CUDA " + cuda_version_string(driver) : nvidia;
    info.versions = {
        {"wgslrun", WGSLRUN_VERSION},
        {"nvidia_driver", nvidia},
        {"cuda_driver", cuda_version_string(driver)},
        {"cuda_runtime", cuda_version_string(runtime)},
        {"cublas", version_triplet(cublas)},
        {"nvcc", strprintf("%d.%d.%d", __CUDACC_VER_MAJOR__, __CUDACC_VER_MINOR__, __CUDACC_VER_BUILD__)},
        {"compute_capability", strprintf("%d.%d", env.props.major, env.props.minor)},
    };
    return info;
}

void settle_before_cases(Env& env, double seconds, RunInfo* info) {
    try {
        const SettleResult s = settle_gpu(env, seconds);
        info->settle_max = seconds;
        info->settle_seconds = s.seconds;
        info->settle_spread = s.spread;
        info->settle_samples = s.samples;
        info->settled = s.settled;
        fprintf(stderr, "[cuda] settling: %s after %.2f s, spread %.1f%%\n", s.settled ? "settled" : "not settled (cap)",
                s.seconds, 100 * s.spread);
    } catch (const BenchError& e) {
        fprintf(stderr, "[cuda] settling failed: %s\n", e.what());
        env.recover();
    }
}

// A case or variant of the suite that this runner does not implement is a result saying so,
// never an error or a silent drop (bench/README.md).
void record_unsupported(const SuiteCase& c, const std::string& variant, std::vector<CaseResult>& out) {
    CaseResult r = new_result(c, variant);
    const std::string name = c.id + (variant.empty() ? "" : "/" + variant);
    r.unsupported = "not implemented by the CUDA runner: " + std::string(variant.empty() ? "case '" : "variant '") +
                    name + "'";
    r.timing = "gpu";
    fprintf(stderr, "[cuda] %-26s unsupported\n", name.c_str());
    out.push_back(r);
}

struct CaseEntry {
    const char* id;
    CaseFn fn;
    std::vector<std::string> variants;  // the suite variants it implements; none: it takes none
};

const std::vector<CaseEntry>& case_table() {
    static const std::vector<CaseEntry> table = {
        {"copy", run_copy, {}},           {"triad", run_triad, {}},         {"reduce", run_reduce, {}},
        {"scan", run_scan, {}},           {"histogram", run_histogram, {}}, {"sgemm_naive", run_sgemm_naive, {}},
        {"sgemm_tiled", run_sgemm_tiled, {}}, {"nbody", run_nbody, {}},     {"stencil", run_stencil, {}},
        {"mandelbrot", run_mandelbrot, {}},
        {"dispatch", run_dispatch, {"one_pass", "submit_each", "round_trip"}},
        {"transfer", run_transfer,
         {"upload", "readback", "upload_pinned", "readback_pinned", "upload_mapped", "readback_mapped"}},
        {"e2e_saxpy", run_e2e_saxpy, {}},
        {"reduce_subgroups", run_reduce, {}},
        {"scan_lookback", run_scan_lookback, {}},
        {"sgemm_subgroups", run_sgemm_subgroups, {}},
    };
    return table;
}

const CaseEntry* find_entry(const std::string& id) {
    for (const auto& entry : case_table())
        if (id == entry.id) return &entry;
    return nullptr;
}

// Runs the case with the variants it implements; every other one is an unsupported row.
void run_case(Env& env, const SuiteCase& c, std::vector<CaseResult>& results) {
    const CaseEntry* entry = find_entry(c.id);
    if (entry == nullptr) return record_unsupported(c, "", results);
    SuiteCase known = c;
    known.variants.clear();
    for (const auto& v : c.variants) {
        if (std::find(entry->variants.begin(), entry->variants.end(), v) != entry->variants.end())
            known.variants.push_back(v);
        else
            record_unsupported(c, v, results);
    }
    if (c.variants.empty() || !known.variants.empty()) entry->fn(env, known, results);
}

// The case narrowed to what --filter selects, by the rule of every runner: a case without
// variants when its id matches, else each variant whose "id/variant" matches. False: none.
bool select_by_filter(const SuiteCase& c, const std::regex& filter, SuiteCase* out) {
    *out = c;
    if (c.variants.empty()) return std::regex_search(c.id, filter);
    out->variants.clear();
    for (const auto& v : c.variants)
        if (std::regex_search(c.id + "/" + v, filter)) out->variants.push_back(v);
    return !out->variants.empty();
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    bool help = false;
    if (int status = parse_args(argc, argv, &o, &help)) {
        usage(stderr);
        return status;
    }
    if (help) {
        usage(stdout);
        return 0;
    }
    std::regex filter;
    try {
        filter = std::regex(o.filter.empty() ? "." : o.filter, std::regex::extended);
    } catch (const std::regex_error& e) {
        fprintf(stderr, "bench_cuda: bad --filter '%s': %s\n", o.filter.c_str(), e.what());
        return 2;
    }
    Suite suite;
    std::string error;
    if (!suite.load(o.suite, o.size, &error)) {
        fprintf(stderr, "bench_cuda: %s\n", error.c_str());
        return 1;
    }
    if (!o.seed_given)
        o.seed = static_cast<unsigned long long>(
                     std::chrono::system_clock::now().time_since_epoch().count()) & ((1ull << 48) - 1);
    Env env;
    if (!env.init(o.device, suite.timing, o.seed, &error)) {
        fprintf(stderr, "bench_cuda: %s\n", error.c_str());
        return 1;
    }
    RunInfo info = gather_run_info(env, o, argc, argv);
    info.round = o.round;
    fprintf(stderr, "[cuda] %s, driver %s, size %s, seed %llu, %d warmup + %d..%d samples (RSD target %g, cap %g s)\n",
            info.adapter.c_str(), info.driver.c_str(), o.size.c_str(), o.seed, suite.timing.warmup,
            suite.timing.samples, suite.timing.max_samples, suite.timing.rsd_target, suite.timing.max_seconds);
    const double settle = o.settle >= 0 ? o.settle : suite.timing.settle_seconds;
    if (settle > 0) settle_before_cases(env, settle, &info);

    std::vector<CaseResult> results;
    size_t matched = 0;
    for (const SuiteCase& c : suite.cases) {
        SuiteCase selected;
        if (!select_by_filter(c, filter, &selected)) continue;
        ++matched;
        run_case(env, selected, results);
    }
    if (matched == 0) {
        fprintf(stderr, "bench_cuda: no case matches --filter '%s'\n", o.filter.c_str());
        return 2;
    }
    print_table(stdout, results);
    fflush(stdout);
    if (!o.json.empty()) {
        if (!write_result_file(o.json, info, results, &error)) {
            fprintf(stderr, "bench_cuda: %s\n", error.c_str());
            return 1;
        }
        fprintf(stderr, "[cuda] wrote %s\n", o.json.c_str());
    }
    return 0;
}
