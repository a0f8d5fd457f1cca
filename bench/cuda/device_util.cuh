// Device helpers shared by the kernels: the spec's linear index over a folded grid, and
// block-wide sums and scans for blocks of a multiple of 32 threads (at most 1024).
#pragma once

#include <cstdint>

constexpr unsigned kFullMask = 0xffffffffu;

// i = id.x + id.y * num_workgroups.x * WORKGROUP_SIZE, as the WGSL kernels linearise.
__device__ __forceinline__ uint64_t folded_index() {
    return static_cast<uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x +
           static_cast<uint64_t>(blockIdx.y) * gridDim.x * blockDim.x;
}

__device__ __forceinline__ uint32_t folded_block() { return blockIdx.x + blockIdx.y * gridDim.x; }

// The block's total, valid in thread 0. Ends with the block synchronised so it can be called
// again in the same kernel.
template <typename T>
__device__ T block_sum(T v) {
    __shared__ T warp_totals[32];
    const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(kFullMask, v, offset);
    if (lane == 0) warp_totals[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < warps ? warp_totals[lane] : T(0);
        for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(kFullMask, v, offset);
    }
    __syncthreads();
    return v;
}

// Each thread's exclusive prefix of v over the block, in thread order.
template <typename T>
__device__ T block_exclusive_scan(T v) {
    __shared__ T warp_offsets[32];
    const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    T inclusive = v;
    for (int offset = 1; offset < 32; offset <<= 1) {
        T up = __shfl_up_sync(kFullMask, inclusive, offset);
        if (lane >= static_cast<unsigned>(offset)) inclusive += up;
    }
    if (lane == 31) warp_offsets[warp] = inclusive;
    __syncthreads();
    if (warp == 0) {
        T total = lane < warps ? warp_offsets[lane] : T(0);
        T scanned = total;
        for (int offset = 1; offset < 32; offset <<= 1) {
            T up = __shfl_up_sync(kFullMask, scanned, offset);
            if (lane >= static_cast<unsigned>(offset)) scanned += up;
        }
        if (lane < warps) warp_offsets[lane] = scanned - total;
    }
    __syncthreads();
    T result = warp_offsets[warp] + inclusive - v;
    __syncthreads();
    return result;
}
