// suite.json, reduced to what the CUDA runner needs for one size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "../../json/json.h"
}

// suite.json's metric: value = count / seconds / 1e9 (rule giga_per_second) or the time in
// `unit` (ms or us) / count (time_per_count); count = factor * the named parameters, times
// the verification output's sum when output_sum (bench/schema/suite.schema.json).
struct MetricSpec {
    std::string name, unit, better;
    std::string rule;
    double factor = 0;
    std::vector<std::string> count_params;
    bool output_sum = false;
};

// suite.json's verify: the tolerance and the sampling the rule names (0 where none).
struct VerifySpec {
    std::string rule;
    double tolerance = 0;
    int samples = 0, check_all_up_to_n = 0, row_stride = 0;
};

// bench/README.md rule 2: after `warmup` samples (and more until warmup_seconds pass), at least `samples` timed samples, then more until
// their RSD is at most rsd_target (0: fixed count), max_seconds pass (0: no cap) or
// max_samples were taken. settle_seconds: the warm-up load's default cap (0: none).
struct TimingPolicy {
    int warmup = 0;
    double warmup_seconds = 0;
    int samples = 1;
    int max_samples = 1;
    double rsd_target = 0;
    double max_seconds = 0;
    double settle_seconds = 0;
};

struct SuiteCase {
    std::string id, cls, title;
    std::vector<std::string> variants;  // empty: one result with variant null
    const json_value* params = nullptr; // sizes[size]; owned by the Suite's tree
    int inner = 1;
    const json_value* constants = nullptr;  // suite.json constants; owned by the Suite's tree
    VerifySpec verify;
    MetricSpec metric;
};

class Suite {
public:
    Suite() = default;
    ~Suite();
    Suite(const Suite&) = delete;
    Suite& operator=(const Suite&) = delete;

    // False with a message in *error when the file is unreadable or not a suite.
    bool load(const std::string& path, const std::string& size, std::string* error);

    TimingPolicy timing;
    std::vector<SuiteCase> cases;

private:
    json_value* root_ = nullptr;
};

// Case parameters. They throw BenchError when a parameter is missing or not a non-negative
// integer, so a malformed case fails alone instead of stopping the run.
double param_integer(const SuiteCase& c, const char* key);
uint32_t param_u32(const SuiteCase& c, const char* key);
// A number or an array of numbers (transfer's "bytes").
std::vector<double> param_integer_list(const SuiteCase& c, const char* key);
// A number of the case's suite.json constants (eps2, the triad scalar, ...); throws BenchError
// when the suite lacks it.
float suite_constant(const SuiteCase& c, const char* key);
// The case's verification tolerance, and a count its rule needs (samples, row_stride); throw
// BenchError when the suite gives none, so a case never runs with a made-up bound.
double verify_tolerance(const SuiteCase& c);
int verify_count(const SuiteCase& c, int value, const char* key);
