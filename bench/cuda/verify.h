// Comparisons of GPU output with CPU references. Each returns the largest error seen and
// describes the first element out of tolerance; NaN (a poisoned, never-written output) is
// always out of tolerance.
#pragma once

#include "harness.h"

#include <cstddef>
#include <cstdint>

Verification compare_bytes(const void* got, const void* want, size_t bytes);
Verification compare_u32(const uint32_t* got, const uint32_t* want, size_t count);
// |got - want| / |want| <= tolerance per element (absolute error where want is 0).
Verification compare_relative(const float* got, const float* want, size_t count, double tolerance);
Verification compare_absolute(const float* got, const float* want, size_t count, double tolerance);
// The index of the first NaN in `values`, or `count` when there is none.
size_t first_nan(const float* values, size_t count);
