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
    if (out->max_samples < out->samples || out->max_samples > 100000 || !(out->rsd_target >= 0) ||
        !(out->max_seconds >= 0) || !(out->settle_seconds >= 0)) {
        *error = "suite timing for size '" + size + "' needs samples <= max_samples <= 100000 and "
                 "rsd_target, max_seconds, settle_seconds >= 0";
        return false;
    }
    return true;
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
    const json_value* metric = json_object_get(c, "metric");
    out.metric.name = json_get_string(metric, "name", "");
    out.metric.unit = json_get_string(metric, "unit", "");
    out.metric.better = json_get_string(metric, "better", "");
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

float param_float_or(const SuiteCase& c, const char* key, float fallback) {
    const json_value* v = json_object_get(c.params, key);
    return json_type_of(v) == JSON_NUMBER ? static_cast<float>(json_number(v)) : fallback;
}
