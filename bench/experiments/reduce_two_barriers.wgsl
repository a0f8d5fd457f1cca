// Measured slower than bench/kernels/reduce.wgsl on the H200 (results/archive/h200-2026-12-01-03/kernels/): the
// workgroup sum in 2 barriers (32 lanes x 8, then one lane x 32) instead of the 8-step tree.
// Dawn 3806-3809 against 3963-3969 GB/s, wgpu-native 3374-3387 against 3448-3458.
// Sum of n f32 values in two passes, in one submission.
//   partial_sums: each of 1024 workgroups sums a grid-strided share of the input into
//                 partials[workgroup].
//   final_sum:    one workgroup sums the 1024 partials into result[0].
// Bindings (@group(0)): 0 input (array<vec4f>, read), 1 partials (1024 f32, read_write),
// 2 result (1 f32, read_write), 3 params (uniform; n counts f32 and is a multiple of 4).
// Dispatch: partial_sums (1024, 1, 1), then final_sum (1, 1, 1), workgroups of 256.

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> input: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const PARTIAL_COUNT = 1024u;

var<workgroup> scratch: array<f32, WORKGROUP_SIZE>;

// Sum over the workgroup in two barriers (the CUDA kernel's warp-then-block shape, without
// subgroups): 32 invocations add 8 values each, strided so they hit 32 banks, then one adds
// the 32. The total is valid in invocation 0.
fn workgroup_sum(local: u32, value: f32) -> f32 {
    scratch[local] = value;
    workgroupBarrier();
    if (local < 32u) {
        var acc = scratch[local];
        for (var k = 1u; k < WORKGROUP_SIZE / 32u; k++) {
            acc += scratch[local + 32u * k];
        }
        // Only this invocation reads slot `local` (k = 0), so it may overwrite it.
        scratch[local] = acc;
    }
    workgroupBarrier();
    var total = 0.0;
    if (local == 0u) {
        for (var k = 0u; k < 32u; k++) {
            total += scratch[k];
        }
    }
    return total;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn partial_sums(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
                @builtin(num_workgroups) groups: vec3u) {
    let count = params.n / 4u;
    let stride = groups.x * WORKGROUP_SIZE;
    var i = group.x * WORKGROUP_SIZE + local;
    // Four independent loads per iteration keep enough memory requests in flight to reach
    // full bandwidth with one invocation per core.
    var acc0 = vec4f(0.0);
    var acc1 = vec4f(0.0);
    var acc2 = vec4f(0.0);
    var acc3 = vec4f(0.0);
    for (; i + 3u * stride < count; i += 4u * stride) {
        acc0 += input[i];
        acc1 += input[i + stride];
        acc2 += input[i + 2u * stride];
        acc3 += input[i + 3u * stride];
    }
    for (; i < count; i += stride) {
        acc0 += input[i];
    }
    let acc = (acc0 + acc1) + (acc2 + acc3);
    let total = workgroup_sum(local, (acc.x + acc.y) + (acc.z + acc.w));
    if (local == 0u) {
        partials[group.x] = total;
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn final_sum(@builtin(local_invocation_index) local: u32) {
    var acc = 0.0;
    for (var i = local; i < PARTIAL_COUNT; i += WORKGROUP_SIZE) {
        acc += partials[i];
    }
    let total = workgroup_sum(local, acc);
    if (local == 0u) {
        result[0] = total;
    }
}
