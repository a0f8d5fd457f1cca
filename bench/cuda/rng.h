// The runner's own random generator (splitmix64): fast enough to fill gigabytes of inputs in
// well under a second, and reproducible from the seed printed with each run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next_u64() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint32_t next_u32() { return static_cast<uint32_t>(next_u64() >> 32); }

    // 24 random bits make every value exactly representable, so [lo, hi) is never left by
    // rounding for the ranges the suite uses.
    float unit() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
    float uniform(float lo, float hi) { return lo + (hi - lo) * unit(); }
    uint32_t below(uint32_t bound) {
        return static_cast<uint32_t>((static_cast<uint64_t>(next_u32()) * bound) >> 32);
    }

    void fill_uniform(float* out, size_t count, float lo, float hi) {
        for (size_t i = 0; i < count; ++i) out[i] = uniform(lo, hi);
    }
    void fill_u32(uint32_t* out, size_t count) {
        for (size_t i = 0; i < count; ++i) out[i] = next_u32();
    }
    void fill_below(uint32_t* out, size_t count, uint32_t bound) {
        for (size_t i = 0; i < count; ++i) out[i] = below(bound);
    }
    void fill_bytes(unsigned char* out, size_t count) {
        size_t i = 0;
        for (; i + 8 <= count; i += 8) {
            uint64_t v = next_u64();
            memcpy(out + i, &v, sizeof v);
        }
        for (; i < count; ++i) out[i] = static_cast<unsigned char>(next_u64());
    }

private:
    uint64_t state_;
};
