// A fragment, not a whole shader: scripts/device/kernels_sweep.sh puts it in place of
// scan_blocks in bench/kernels/scan.wgsl (same bindings and dispatch) to measure the other
// design: no tile, each invocation loads and stores its own 16 consecutive elements as 4 vec4
// (64 bytes; a warp's loads touch every byte of 2 KiB across its 4 load instructions, so the
// L1 cache rather than the access pattern has to make them whole), no barriers but the
// workgroup scan's three, and no workgroup memory to zero-initialise.

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_blocks(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
               @builtin(num_workgroups) groups: vec3u) {
    let block = block_index(group, groups);
    if (block >= params.n / BLOCK_SIZE) {
        return;
    }
    let first = block * BLOCK_VECS + 4u * local;
    let q0 = inclusive4(input[first], 0u);
    let q1 = inclusive4(input[first + 1u], q0.w);
    let q2 = inclusive4(input[first + 2u], q1.w);
    let q3 = inclusive4(input[first + 3u], q2.w);
    let offset = vec4u(workgroup_exclusive_scan(local, q3.w) + sums[block]);
    output[first] = q0 + offset;
    output[first + 1u] = q1 + offset;
    output[first + 2u] = q2 + offset;
    output[first + 3u] = q3 + offset;
}
