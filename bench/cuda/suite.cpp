#include "suite.h"

#include "check.h"

#include <cmath>
#include <cstdint>

Suite::~Suite() { json_free(root_); }

static bool read_timing(const json_value* root, const std::string& size, TimingPolicy* out,
                        std::string* error) {
    const json_value* t = json_object_get(json_object_get(root, "timing"), size.c_str());
    if (json_type_of(t) != JSON_OBJECT) {
        *error = "suite has no timing for size '" + size + "'";
        return false;
    }
    out->warmup = static_cast<int>(json_get_number(t, "warmup", 0));
    out->samples = static_cast<int>(json_get_number(t, "samples", 1));
    if (out->warmup < 0 || out->samples < 1) {
        *error = "suite timing for size '" + size + "' needs warmup >= 0 and samples >= 1";
        return false;
    }
    out->max_samples = static_cast<int>(json_get_number(t, "max_samples", out->samples));
    out->rsd_target = json_get_number(t, "rsd_target", 0);
    out->max_seconds = json_get_number(t, "max_seconds", 0);
    out->settle_seconds = json_get_number(t, "settle_seconds", 0);
    out->warmup_seconds = json_get_number(t, "warmup_seconds", 0);
    if (out->max_samples < out->samples || out->max_samples > 100000 || !(out->rsd_target >= 0) ||
        !(out->max_seconds >= 0) || !(out->settle_seconds >= 0) || !(out->warmup_seconds >= 0)) {
        *error = "suite timing for size '" + size + "' needs samples <= max_samples <= 100000 and "
                 "rsd_target, max_seconds, settle_seconds, warmup_seconds >= 0";
        return false;
    }
    return true;
}

static MetricSpec read_metric(const json_value* m) {
    MetricSpec out;
    out.name = json_get_string(m, "name", "");
    out.unit = json_get_string(m, "unit", "");
    out.better = json_get_string(m, "better", "");
    out.rule = json_get_string(m, "rule", "");
    const json_value* count = json_object_get(m, "count");
    out.factor = json_get_number(count, "factor", 0);
    const json_value* names = json_object_get(count, "params");
    for (size_t i = 0; i < json_array_length(names); ++i) {
        const char* name = json_string(json_array_at(names, i));
        if (name) out.count_params.push_back(name);
    }
    out.output_sum = json_bool(json_object_get(count, "output_sum"));
    return out;
}

static VerifySpec read_verify(const json_value* v) {
    VerifySpec out;
    out.rule = json_get_string(v, "rule", "");
    out.tolerance = json_get_number(v, "tolerance", 0);
    out.samples = static_cast<int>(json_get_number(v, "samples", 0));
    out.check_all_up_to_n = static_cast<int>(json_get_number(v, "check_all_up_to_n", 0));
    out.row_stride = static_cast<int>(json_get_number(v, "row_stride", 0));
    return out;
}

static SuiteCase read_case(const json_value* c, const std::string& size) {
    SuiteCase out;
    out.id = json_get_string(c, "id", "");
    out.cls = json_get_string(c, "class", "");
    out.title = json_get_string(c, "title", "");
    const json_value* variants = json_object_get(c, "variants");
    for (size_t i = 0; i < json_array_length(variants); ++i) {
        const char* v = json_string(json_array_at(variants, i));
        if (v) out.variants.push_back(v);
    }
    out.params = json_object_get(json_object_get(c, "sizes"), size.c_str());
    // "inner" may be per size (an object) or one number for all sizes.
    const json_value* inner = json_object_get(c, "inner");
    double n = json_type_of(inner) == JSON_NUMBER ? json_number(inner)
                                                  : json_get_number(inner, size.c_str(), 1);
    out.inner = n >= 1 ? static_cast<int>(n) : 1;
    out.constants = json_object_get(c, "constants");
    out.verify = read_verify(json_object_get(c, "verify"));
    out.metric = read_metric(json_object_get(c, "metric"));
    return out;
}

bool Suite::load(const std::string& path, const std::string& size, std::string* error) {
    char message[512];
    root_ = json_parse_file(path.c_str(), message, sizeof message);
    if (!root_) {
        *error = message;
        return false;
    }
    const char* schema = json_get_string(root_, "schema", "");
    if (std::string(schema) != "wgslrun-suite/1") {
        *error = path + ": schema is '" + schema + "', expected 'wgslrun-suite/1'";
        return false;
    }
    if (!read_timing(root_, size, &timing, error)) {
        *error = path + ": " + *error;
        return false;
    }
    const json_value* list = json_object_get(root_, "cases");
    if (json_type_of(list) != JSON_ARRAY) {
        *error = path + ": 'cases' is not an array";
        return false;
    }
    for (size_t i = 0; i < json_array_length(list); ++i)
        cases.push_back(read_case(json_array_at(list, i), size));
    return true;
}

static double as_integer(const SuiteCase& c, const char* key, const json_value* v) {
    if (json_type_of(v) != JSON_NUMBER)
        throw_bench_error("suite: case '%s' has no numeric parameter '%s' for this size",
                          c.id.c_str(), key);
    double x = json_number(v);
    if (!(x >= 0) || x != std::floor(x) || x > 9007199254740992.0)
        throw_bench_error("suite: case '%s' parameter '%s' = %g is not a non-negative integer",
                          c.id.c_str(), key, x);
    return x;
}

double param_integer(const SuiteCase& c, const char* key) {
    return as_integer(c, key, json_object_get(c.params, key));
}

uint32_t param_u32(const SuiteCase& c, const char* key) {
    double x = param_integer(c, key);
    if (x > 4294967295.0)
        throw_bench_error("suite: case '%s' parameter '%s' = %.0f does not fit in u32",
                          c.id.c_str(), key, x);
    return static_cast<uint32_t>(x);
}

std::vector<double> param_integer_list(const SuiteCase& c, const char* key) {
    const json_value* v = json_object_get(c.params, key);
    std::vector<double> out;
    if (json_type_of(v) != JSON_ARRAY) {
        out.push_back(as_integer(c, key, v));
        return out;
    }
    for (size_t i = 0; i < json_array_length(v); ++i)
        out.push_back(as_integer(c, key, json_array_at(v, i)));
    return out;
}

float suite_constant(const SuiteCase& c, const char* key) {
    const json_value* v = json_object_get(c.constants, key);
    if (json_type_of(v) != JSON_NUMBER)
        throw_bench_error("suite: case '%s' has no number constants.%s", c.id.c_str(), key);
    return static_cast<float>(json_number(v));
}

double verify_tolerance(const SuiteCase& c) {
    if (!(c.verify.tolerance > 0))
        throw_bench_error("suite: case '%s' has no verify.tolerance > 0", c.id.c_str());
    return c.verify.tolerance;
}

int verify_count(const SuiteCase& c, int value, const char* key) {
    if (value <= 0) throw_bench_error("suite: case '%s' has no positive verify.%s", c.id.c_str(), key);
    return value;
}
