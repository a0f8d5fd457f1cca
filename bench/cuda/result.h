// One result row of the wgslrun-result/1 format, the file that holds them, and the table
// printed at the end of a run.
#pragma once

#include "suite.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

// How a case's sampling ended (bench/README.md, "noise").
struct Noise {
    int samples = 0;          // 0: not timed, field left out
    double rsd = NAN;
    bool converged = false;
    double rsd_target = 0;    // 0: written as null
    std::string stopped_by;   // rsd_target | max_seconds | max_samples | fixed
};

// Null to go on after `times` (per-run times the metric uses) and `elapsed_s` seconds of
// timed samples; else true with *out filled.
bool noise_if_done(const TimingPolicy& t, const std::vector<double>& times, double elapsed_s, Noise* out);

struct CaseResult {
    std::string case_id, cls;
    std::string variant;  // empty: null
    std::vector<std::pair<std::string, double>> params;
    int verified = -1;    // -1: null (unsupported), 0: false, 1: true
    double max_error = NAN;  // NaN and infinities are written as null
    std::string error;       // empty: null
    std::string unsupported; // empty: field left out
    std::string timing = "gpu";
    std::vector<double> gpu_ms, wall_ms;  // per-run times, one per timed sample
    MetricSpec metric;
    double metric_value = NAN;
    std::string note;  // empty: field left out
    Noise noise;

    const std::vector<double>& metric_times() const { return timing == "gpu" ? gpu_ms : wall_ms; }
};

// The metric of a run that took `seconds`, by the rule suite.json gives the result's metric;
// output_sum is the verification output's sum, for counts that use it (mandelbrot). Throws
// BenchError for a rule it does not know or a count parameter the result lacks.
double suite_metric(const CaseResult& r, double seconds, double output_sum = 0);

struct Stats {
    double min = NAN, median = NAN, max = NAN;
    int count = 0;
};
Stats stats_of(const std::vector<double>& values);  // median of an even count: mean of the middle two
double median_of(const std::vector<double>& values);

struct RunInfo {
    std::string adapter, backend, driver, device_class;
    std::string hostname, cpu, os;
    std::vector<std::pair<std::string, std::string>> versions;
    std::string date, command, size;
    unsigned long long seed = 0;  // below 2^53, so JSON readers keep it exact
    long round = 0;               // --round; 0: field left out
    // The warm-up load before the first case (--settle); settle_max 0: none ran.
    double settle_max = 0, settle_seconds = 0, settle_spread = NAN;
    int settle_samples = 0;
    bool settled = false;
};

// False with a message in *error when the file cannot be written completely.
bool write_result_file(const std::string& path, const RunInfo& info,
                       const std::vector<CaseResult>& results, std::string* error);

void print_table(FILE* out, const std::vector<CaseResult>& results);
std::string describe_params(const CaseResult& r);
std::string describe_outcome(const CaseResult& r);  // "ok 123.4 GB/s", "FAILED: ...", ...
