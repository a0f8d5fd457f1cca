// Sum of n f32 values in two passes, as kernels/reduce.wgsl (same bindings, dispatch and
// entry points), with each workgroup sum done by subgroupAdd: two barriers instead of the
// tree's nine. Needs the `subgroups` feature (suite.json: "requires").
// Correct for any subgroup size and any mapping of invocations to subgroups: each subgroup's
// total goes to a slot taken from a workgroup counter, not to a slot derived from its index.

enable subgroups;

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> input: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const PARTIAL_COUNT = 1024u;
const MAX_SUBGROUPS = 64u;   // WORKGROUP_SIZE / 4, the smallest subgroup size WebGPU allows

var<workgroup> subgroup_totals: array<f32, MAX_SUBGROUPS>;
var<workgroup> subgroup_count: atomic<u32>;

// The workgroup's total, valid in invocation 0. Called once per workgroup. The subgroup's
// lowest lane stores its total (naga has no subgroupElect; lane 0 need not be active). The
// counter is zeroed here, not left to WGSL's zero-initialized workgroup memory: wgpu-native
// on SwiftShader hands a workgroup the previous one's values.
fn workgroup_sum(local: u32, lane: u32, value: f32) -> f32 {
    if (local == 0u) {
        atomicStore(&subgroup_count, 0u);
    }
    workgroupBarrier();
    let total = subgroupAdd(value);
    if (lane == subgroupMin(lane)) {
        subgroup_totals[atomicAdd(&subgroup_count, 1u)] = total;
    }
    workgroupBarrier();
    var sum = 0.0;
    if (local == 0u) {
        let count = atomicLoad(&subgroup_count);
        for (var k = 0u; k < count; k++) {
            sum += subgroup_totals[k];
        }
    }
    return sum;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn partial_sums(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
                @builtin(num_workgroups) groups: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
    let count = params.n / 4u;
    let stride = groups.x * WORKGROUP_SIZE;
    var i = group.x * WORKGROUP_SIZE + local;
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
    let total = workgroup_sum(local, lane, (acc.x + acc.y) + (acc.z + acc.w));
    if (local == 0u) {
        partials[group.x] = total;
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn final_sum(@builtin(local_invocation_index) local: u32, @builtin(subgroup_invocation_id) lane: u32) {
    var acc = 0.0;
    for (var i = local; i < PARTIAL_COUNT; i += WORKGROUP_SIZE) {
        acc += partials[i];
    }
    let total = workgroup_sum(local, lane, acc);
    if (local == 0u) {
        result[0] = total;
    }
}
