// 256-bin histogram of u32 keys (bin = key & 255).
// Each workgroup counts a grid-strided share of the keys in workgroup-private bins, then adds
// each non-empty bin to the global bins with one atomicAdd, so global atomics stay few.
// Bindings (@group(0)): 0 keys (array<u32>, read), 1 bins (256 atomic<u32>, read_write,
// zeroed by the caller; counts accumulate across dispatches), 2 params (uniform; n keys).
// Dispatch: (min(ceil(n / 256), 2048), 1, 1), workgroups of 256.

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> bins: array<atomic<u32>, 256>;
@group(0) @binding(2) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const BIN_MASK = 255u;

var<workgroup> local_bins: array<atomic<u32>, 256>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn histogram(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
             @builtin(num_workgroups) groups: vec3u) {
    // WGSL promises zeroed workgroup memory, but wgpu-native on SwiftShader leaves the previous
    // workgroup's counts there; clearing explicitly costs one store and one barrier.
    atomicStore(&local_bins[local], 0u);
    workgroupBarrier();
    let n = params.n;
    let stride = groups.x * WORKGROUP_SIZE;
    var i = group.x * WORKGROUP_SIZE + local;
    // Loads are issued before the atomics that depend on them, four at a time.
    for (; i + 3u * stride < n; i += 4u * stride) {
        let k0 = keys[i];
        let k1 = keys[i + stride];
        let k2 = keys[i + 2u * stride];
        let k3 = keys[i + 3u * stride];
        atomicAdd(&local_bins[k0 & BIN_MASK], 1u);
        atomicAdd(&local_bins[k1 & BIN_MASK], 1u);
        atomicAdd(&local_bins[k2 & BIN_MASK], 1u);
        atomicAdd(&local_bins[k3 & BIN_MASK], 1u);
    }
    for (; i < n; i += stride) {
        atomicAdd(&local_bins[keys[i] & BIN_MASK], 1u);
    }
    workgroupBarrier();
    let count = atomicLoad(&local_bins[local]);
    if (count != 0u) {
        atomicAdd(&bins[local], count);
    }
}
