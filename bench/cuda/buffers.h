// Owning wrappers for device, pageable and pinned memory. They free in their destructors so
// that a case that throws half-way leaves nothing allocated for the cases after it.
#pragma once

#include "check.h"

#include <cstdlib>
#include <cstring>

template <typename T>
class DeviceArray {
public:
    explicit DeviceArray(size_t count) : count_(count) {
        CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), bytes()));
    }
    ~DeviceArray() {
        if (ptr_) cudaFree(ptr_);  // nothing useful to do with a failure while unwinding
    }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;

    T* get() const { return ptr_; }
    size_t count() const { return count_; }
    size_t bytes() const { return count_ * sizeof(T); }

    void upload(const T* host) {
        CUDA_CHECK(cudaMemcpy(ptr_, host, bytes(), cudaMemcpyHostToDevice));
    }
    void download(T* host) const {
        CUDA_CHECK(cudaMemcpy(host, ptr_, bytes(), cudaMemcpyDeviceToHost));
    }
    // 0xFF bytes are NaN as floats and an implausible count as integers, so an output the
    // kernel never wrote cannot pass verification by accident (zeros often would).
    void poison() { CUDA_CHECK(cudaMemset(ptr_, 0xFF, bytes())); }
    void zero() { CUDA_CHECK(cudaMemset(ptr_, 0, bytes())); }

private:
    T* ptr_ = nullptr;
    size_t count_;
};

// Ordinary malloc memory: what the spec's transfer and e2e cases mean by host memory.
template <typename T>
class HostArray {
public:
    explicit HostArray(size_t count) : count_(count) {
        ptr_ = static_cast<T*>(malloc(count ? count * sizeof(T) : 1));
        if (!ptr_) throw_bench_error("malloc(%zu bytes) failed", count * sizeof(T));
    }
    ~HostArray() { free(ptr_); }
    HostArray(const HostArray&) = delete;
    HostArray& operator=(const HostArray&) = delete;

    T* get() const { return ptr_; }
    T& operator[](size_t i) const { return ptr_[i]; }
    size_t count() const { return count_; }
    size_t bytes() const { return count_ * sizeof(T); }
    void poison() { memset(ptr_, 0xFF, bytes()); }

private:
    T* ptr_ = nullptr;
    size_t count_;
};

// Page-locked host memory (cudaMallocHost), for the extra *_pinned transfer results.
template <typename T>
class PinnedArray {
public:
    explicit PinnedArray(size_t count) : count_(count) {
        CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&ptr_), bytes()));
    }
    ~PinnedArray() {
        if (ptr_) cudaFreeHost(ptr_);
    }
    PinnedArray(const PinnedArray&) = delete;
    PinnedArray& operator=(const PinnedArray&) = delete;

    T* get() const { return ptr_; }
    T& operator[](size_t i) const { return ptr_[i]; }
    size_t count() const { return count_; }
    size_t bytes() const { return count_ * sizeof(T); }
    void poison() { memset(ptr_, 0xFF, bytes()); }

private:
    T* ptr_ = nullptr;
    size_t count_;
};
