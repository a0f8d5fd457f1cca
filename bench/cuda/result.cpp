#include "result.h"

#include "check.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

static double param_of(const CaseResult& r, const std::string& name) {
    for (const auto& p : r.params)
        if (p.first == name) return p.second;
    throw_bench_error("suite: case '%s' metric counts parameter '%s', which it lacks", r.case_id.c_str(),
                      name.c_str());
}

double suite_metric(const CaseResult& r, double seconds, double output_sum) {
    const MetricSpec& m = r.metric;
    double count = m.factor;
    for (const std::string& name : m.count_params) count *= param_of(r, name);
    if (m.output_sum) count *= output_sum;
    if (m.rule == "giga_per_second") return count / seconds / 1e9;
    if (m.rule == "time_per_count" && (m.unit == "ms" || m.unit == "us"))
        return seconds * (m.unit == "us" ? 1e6 : 1e3) / count;
    throw_bench_error("suite: case '%s' has metric rule '%s' (unit %s), which the CUDA runner does not know",
                      r.case_id.c_str(), m.rule.c_str(), m.unit.c_str());
}

double median_of(const std::vector<double>& values) {
    if (values.empty()) return NAN;
    std::vector<double> v(values);
    std::sort(v.begin(), v.end());
    size_t mid = v.size() / 2;
    return v.size() % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

Stats stats_of(const std::vector<double>& values) {
    Stats s;
    if (values.empty()) return s;
    s.min = *std::min_element(values.begin(), values.end());
    s.max = *std::max_element(values.begin(), values.end());
    s.median = median_of(values);
    s.count = static_cast<int>(values.size());
    return s;
}

static double relative_sd(const std::vector<double>& v) {
    if (v.size() < 2) return 0;
    double mean = 0, squares = 0;
    for (double x : v) mean += x;
    mean /= v.size();
    for (double x : v) squares += (x - mean) * (x - mean);
    return mean > 0 ? std::sqrt(squares / (v.size() - 1)) / mean : INFINITY;
}

bool noise_if_done(const TimingPolicy& t, const std::vector<double>& times, double elapsed_s, Noise* out) {
    const int n = static_cast<int>(times.size());
    if (n < t.samples) return false;
    out->samples = n;
    out->rsd = relative_sd(times);
    out->rsd_target = t.rsd_target;
    out->converged = t.rsd_target > 0 && out->rsd <= t.rsd_target;
    if (out->converged) out->stopped_by = "rsd_target";
    else if (n >= std::max(t.max_samples, t.samples)) out->stopped_by = t.rsd_target > 0 ? "max_samples" : "fixed";
    else if (t.max_seconds > 0 && elapsed_s >= t.max_seconds) out->stopped_by = "max_seconds";
    else return false;
    return true;
}

static void write_noise(json_writer* w, const Noise& n) {
    json_key(w, "noise");
    json_begin_object(w);
    json_key(w, "samples"), json_int_value(w, n.samples);
    json_key(w, "rsd"), json_number_value(w, n.rsd);
    json_key(w, "converged"), json_bool_value(w, n.converged);
    json_key(w, "rsd_target");
    if (n.rsd_target > 0)
        json_number_value(w, n.rsd_target);
    else
        json_null_value(w);
    json_key(w, "stopped_by"), json_string_value(w, n.stopped_by.c_str());
    json_end_object(w);
}

static void write_optional_string(json_writer* w, const char* key, const std::string& s) {
    json_key(w, key);
    if (s.empty())
        json_null_value(w);
    else
        json_string_value(w, s.c_str());
}

// A failed or unsupported case has no times at all, per the spec.
static void write_stats(json_writer* w, const char* key, const std::vector<double>& values,
                        bool allowed) {
    json_key(w, key);
    if (!allowed || values.empty()) {
        json_null_value(w);
        return;
    }
    Stats s = stats_of(values);
    json_begin_object(w);
    json_key(w, "min"), json_number_value(w, s.min);
    json_key(w, "median"), json_number_value(w, s.median);
    json_key(w, "max"), json_number_value(w, s.max);
    json_key(w, "count"), json_int_value(w, s.count);
    json_end_object(w);
}

static void write_result(json_writer* w, const CaseResult& r) {
    bool timed = r.verified == 1;
    json_begin_object(w);
    json_key(w, "case"), json_string_value(w, r.case_id.c_str());
    json_key(w, "class"), json_string_value(w, r.cls.c_str());
    write_optional_string(w, "variant", r.variant);
    json_key(w, "params");
    json_begin_object(w);
    for (const auto& p : r.params) json_key(w, p.first.c_str()), json_number_value(w, p.second);
    json_end_object(w);
    json_key(w, "verified");
    if (r.verified < 0)
        json_null_value(w);
    else
        json_bool_value(w, r.verified == 1);
    json_key(w, "max_error"), json_number_value(w, r.max_error);
    write_optional_string(w, "error", r.error);
    if (!r.unsupported.empty()) json_key(w, "unsupported"), json_string_value(w, r.unsupported.c_str());
    json_key(w, "timing"), json_string_value(w, r.timing.c_str());
    write_stats(w, "time_ms", r.metric_times(), timed);
    write_stats(w, "wall_ms", r.wall_ms, timed);
    write_stats(w, "gpu_ms", r.gpu_ms, timed);
    json_key(w, "metric");
    json_begin_object(w);
    json_key(w, "name"), json_string_value(w, r.metric.name.c_str());
    json_key(w, "unit"), json_string_value(w, r.metric.unit.c_str());
    json_key(w, "value"), json_number_value(w, timed ? r.metric_value : NAN);
    json_key(w, "better"), json_string_value(w, r.metric.better.c_str());
    json_end_object(w);
    if (!r.note.empty()) json_key(w, "note"), json_string_value(w, r.note.c_str());
    if (timed && r.noise.samples > 0) write_noise(w, r.noise);
    json_end_object(w);
}

static void write_header(json_writer* w, const RunInfo& info) {
    json_key(w, "schema"), json_string_value(w, "wgslrun-result/1");
    json_key(w, "method"), json_string_value(w, "cuda");
    json_key(w, "implementation"), json_string_value(w, "cuda");
    write_optional_string(w, "adapter", info.adapter);
    json_key(w, "backend"), json_string_value(w, info.backend.c_str());
    write_optional_string(w, "driver", info.driver);
    json_key(w, "device_class"), json_string_value(w, info.device_class.c_str());
    json_key(w, "machine");
    json_begin_object(w);
    write_optional_string(w, "hostname", info.hostname);
    write_optional_string(w, "cpu", info.cpu);
    write_optional_string(w, "os", info.os);
    json_end_object(w);
    json_key(w, "versions");
    json_begin_object(w);
    for (const auto& v : info.versions) write_optional_string(w, v.first.c_str(), v.second);
    json_end_object(w);
    json_key(w, "date"), json_string_value(w, info.date.c_str());
    json_key(w, "command"), json_string_value(w, info.command.c_str());
    json_key(w, "size"), json_string_value(w, info.size.c_str());
    json_key(w, "seed"), json_int_value(w, static_cast<long long>(info.seed));
    if (info.round > 0) json_key(w, "round"), json_int_value(w, info.round);
    if (info.settle_max > 0) {
        json_key(w, "settle");
        json_begin_object(w);
        json_key(w, "max_seconds"), json_number_value(w, info.settle_max);
        json_key(w, "seconds"), json_number_value(w, info.settle_seconds);
        json_key(w, "samples"), json_int_value(w, info.settle_samples);
        json_key(w, "spread"), json_number_value(w, info.settle_spread);
        json_key(w, "settled"), json_bool_value(w, info.settled);
        json_key(w, "error"), json_null_value(w);
        json_end_object(w);
    }
}

bool write_result_file(const std::string& path, const RunInfo& info,
                       const std::vector<CaseResult>& results, std::string* error) {
    FILE* f = fopen(path.c_str(), "w");
    if (!f) {
        *error = path + ": cannot open: " + strerror(errno);
        return false;
    }
    json_writer w;
    json_writer_init(&w, f);
    json_begin_object(&w);
    write_header(&w, info);
    json_key(&w, "results");
    json_begin_array(&w);
    for (const auto& r : results) write_result(&w, r);
    json_end_array(&w);
    json_end_object(&w);
    bool ok = json_writer_finish(&w);
    if (fclose(f) != 0) ok = false;
    if (!ok) *error = path + ": cannot write the result file completely";
    return ok;
}

std::string describe_params(const CaseResult& r) {
    std::string s;
    for (const auto& p : r.params) {
        if (!s.empty()) s += ' ';
        s += p.first + "=" + strprintf("%.0f", p.second);
    }
    return s;
}

std::string describe_outcome(const CaseResult& r) {
    if (r.verified < 0) return "unsupported: " + r.unsupported;
    if (r.verified == 0) return "FAILED: " + r.error;
    return strprintf("ok %.4g %s (median %.4g ms)", r.metric_value, r.metric.unit.c_str(),
                     median_of(r.metric_times()));
}

void print_table(FILE* out, const std::vector<CaseResult>& results) {
    fprintf(out, "%-28s %-34s %-8s %12s %14s  %s\n", "case", "params", "verified", "median ms",
            "metric", "unit");
    for (const auto& r : results) {
        std::string name = r.case_id + (r.variant.empty() ? "" : "/" + r.variant);
        const char* status = r.verified < 0 ? "n/a" : r.verified ? "yes" : "NO";
        bool timed = r.verified == 1;
        std::string time = timed ? strprintf("%.4f", median_of(r.metric_times())) : "-";
        std::string value = timed ? strprintf("%.2f", r.metric_value) : "-";
        fprintf(out, "%-28s %-34s %-8s %12s %14s  %s\n", name.c_str(), describe_params(r).c_str(),
                status, time.c_str(), value.c_str(), r.metric.unit.c_str());
    }
}
