#include "verify.h"

#include <cmath>
#include <cstring>

static Verification failure(double max_error, std::string message) {
    Verification v;
    v.ok = false;
    v.max_error = max_error;
    v.error = std::move(message);
    return v;
}

Verification compare_bytes(const void* got, const void* want, size_t bytes) {
    if (memcmp(got, want, bytes) == 0) return Verification{};
    const unsigned char* g = static_cast<const unsigned char*>(got);
    const unsigned char* w = static_cast<const unsigned char*>(want);
    size_t i = 0, wrong = 0;
    while (g[i] == w[i]) ++i;
    for (size_t k = i; k < bytes; ++k) wrong += g[k] != w[k];
    return failure(NAN, strprintf("byte %zu is 0x%02x, expected 0x%02x (%zu of %zu bytes differ)",
                                  i, g[i], w[i], wrong, bytes));
}

Verification compare_u32(const uint32_t* got, const uint32_t* want, size_t count) {
    Verification v;
    size_t wrong = 0, first = 0;
    for (size_t i = 0; i < count; ++i) {
        if (got[i] == want[i]) continue;
        if (wrong++ == 0) first = i;
        double d = std::fabs(static_cast<double>(got[i]) - static_cast<double>(want[i]));
        if (d > v.max_error) v.max_error = d;
    }
    if (wrong == 0) return v;
    return failure(v.max_error, strprintf("element %zu is %u, expected %u (%zu of %zu differ)",
                                          first, got[first], want[first], wrong, count));
}

static Verification compare_floats(const float* got, const float* want, size_t count,
                                   double tolerance, bool relative) {
    double max_error = 0;
    size_t wrong = 0, first = 0;
    for (size_t i = 0; i < count; ++i) {
        double g = got[i], w = want[i];
        double scale = relative && w != 0 ? std::fabs(w) : 1.0;
        double e = std::isnan(g) ? INFINITY : std::fabs(g - w) / scale;
        if (e > max_error) max_error = e;
        if (e <= tolerance) continue;
        if (wrong++ == 0) first = i;
    }
    if (wrong == 0) {
        Verification v;
        v.max_error = max_error;
        return v;
    }
    return failure(max_error,
                   strprintf("element %zu is %.9g, expected %.9g (%s error above %g; %zu of %zu)",
                             first, got[first], want[first], relative ? "relative" : "absolute",
                             tolerance, wrong, count));
}

Verification compare_relative(const float* got, const float* want, size_t count, double tolerance) {
    return compare_floats(got, want, count, tolerance, true);
}

Verification compare_absolute(const float* got, const float* want, size_t count, double tolerance) {
    return compare_floats(got, want, count, tolerance, false);
}

size_t first_nan(const float* values, size_t count) {
    for (size_t i = 0; i < count; ++i)
        if (std::isnan(values[i])) return i;
    return count;
}
