// Inclusive prefix sum of n u32 (wrapping), in blocks of 4096 = 256 invocations x 16 elements:
//   block_sums:  sums[b] = total of block b
//   scan_sums:   one workgroup turns sums into its exclusive prefix sum
//   scan_blocks: output = inclusive scan of each block + sums[b]
// Bindings (@group(0)): 0 input (array<vec4u>, read), 1 output (array<vec4u>, read_write),
// 2 sums (array<u32>, n / 4096 elements, read_write), 3 params (uniform; n counts u32, a
// multiple of 4096, n / 4096 <= 16384). Dispatch: block_sums and scan_blocks (n / 4096, 1, 1)
// folded into y past 65535 workgroups; scan_sums (1, 1, 1); workgroups of 256.
// The design is bench/cuda/case_memory.cu's: vec4 loads and stores, coalesced; in scan_blocks
// each invocation owns 16 consecutive elements, scanned in registers, with one workgroup scan
// of the 256 invocation totals per block. (The previous kernel, u32 loads and two workgroup
// scans per block, is bench/experiments/scan_v1.wgsl.)

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> input: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> output: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const BLOCK_SIZE = 4096u;        // elements per block: WORKGROUP_SIZE * 16
const BLOCK_VECS = 1024u;        // vec4 per block
const HALF_VECS = 512u;          // vec4 per tile fill: half a block keeps the tile in 16 KiB
const HALF_OWNERS = 128u;        // invocations whose 16 elements lie in one half
const RAKE_LANES = 32u;
const RAKE_RUN = 8u;             // WORKGROUP_SIZE / RAKE_LANES

// Vec4 i of the tile lives at padded(i): one spare slot every 8 spreads both the coalesced
// pattern (i = local + 256 k) and the owner pattern (i = 4 local + k) over all banks.
fn padded(i: u32) -> u32 {
    return i + i / 8u;
}

var<workgroup> tile: array<vec4u, 576>;          // padded(HALF_VECS)
var<workgroup> totals: array<u32, 264>;          // one per invocation, a spare word every 32
var<workgroup> run_totals: array<vec4u, 8>;      // RAKE_LANES words

fn block_index(group: vec3u, groups: vec3u) -> u32 {
    return group.x + group.y * groups.x;
}

// Exclusive prefix sum of one value per invocation, raked: 32 invocations scan runs of 8,
// one scans the 32 run totals (8 vec4 loads, the adds in registers). Three barriers; the
// caller adds a barrier before calling it again.
fn workgroup_exclusive_scan(local: u32, value: u32) -> u32 {
    totals[local + local / 32u] = value;
    workgroupBarrier();
    if (local < RAKE_LANES) {
        let first = local * RAKE_RUN + local / 4u;   // padded start of the run
        var running = 0u;
        for (var k = 0u; k < RAKE_RUN; k++) {
            let v = totals[first + k];
            totals[first + k] = running;
            running += v;
        }
        run_totals[local / 4u][local % 4u] = running;
    }
    workgroupBarrier();
    if (local == 0u) {
        var running = 0u;
        for (var k = 0u; k < RAKE_LANES / 4u; k++) {
            let v = run_totals[k];
            let a = running + v.x;
            let b = a + v.y;
            let c = b + v.z;
            run_totals[k] = vec4u(running, a, b, c);
            running = c + v.w;
        }
    }
    workgroupBarrier();
    let run = local / RAKE_RUN;
    return totals[local + local / 32u] + run_totals[run / 4u][run % 4u];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn block_sums(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
              @builtin(num_workgroups) groups: vec3u) {
    let block = block_index(group, groups);
    if (block >= params.n / BLOCK_SIZE) {
        return;
    }
    // A total does not depend on order, so the four loads are strided (coalesced).
    let base = block * BLOCK_VECS + local;
    let v = (input[base] + input[base + WORKGROUP_SIZE]) +
            (input[base + 2u * WORKGROUP_SIZE] + input[base + 3u * WORKGROUP_SIZE]);
    let sum = (v.x + v.y) + (v.z + v.w);
    let before = workgroup_exclusive_scan(local, sum);
    if (local == WORKGROUP_SIZE - 1u) {
        sums[block] = before + sum;
    }
}

// Inclusive scan of q with `carry` added.
fn inclusive4(q: vec4u, carry: u32) -> vec4u {
    let a = carry + q.x;
    let b = a + q.y;
    let c = b + q.z;
    return vec4u(a, b, c, c + q.w);
}

var<workgroup> chunk_end: u32;

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_sums(@builtin(local_invocation_index) local: u32) {
    // Up to 16384 sums in chunks of 4096, each invocation scanning 16 consecutive ones (one
    // small workgroup: its loads are latency-bound whatever their pattern).
    let count = params.n / BLOCK_SIZE;
    var offset = 0u;
    for (var start = 0u; start < count; start += BLOCK_SIZE) {
        let first = start + local * 16u;
        var total = 0u;
        for (var k = 0u; k < 16u; k++) {
            if (first + k < count) {
                total += sums[first + k];
            }
        }
        var running = offset + workgroup_exclusive_scan(local, total);
        for (var k = 0u; k < 16u; k++) {
            if (first + k < count) {
                let v = sums[first + k];
                sums[first + k] = running;
                running += v;
            }
        }
        if (local == WORKGROUP_SIZE - 1u) {
            chunk_end = running;
        }
        // Also keeps the next chunk's scan from overwriting totals still being read.
        workgroupBarrier();
        offset = chunk_end;
        workgroupBarrier();
    }
}

// Fills the tile with the HALF_VECS vec4 from `start`, coalesced, and waits for it.
fn fill_tile(local: u32, start: u32) {
    tile[padded(local)] = input[start + local];
    tile[padded(local + WORKGROUP_SIZE)] = input[start + local + WORKGROUP_SIZE];
    workgroupBarrier();
}

// Stores the tile to the HALF_VECS vec4 from `start`, coalesced (after a barrier).
fn drain_tile(local: u32, start: u32) {
    output[start + local] = tile[padded(local)];
    output[start + local + WORKGROUP_SIZE] = tile[padded(local + WORKGROUP_SIZE)];
}

// Where the 16 elements of invocation `local` start in the tile of their half.
fn owner_slot(local: u32) -> u32 {
    return 4u * (local % HALF_OWNERS);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_blocks(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
               @builtin(num_workgroups) groups: vec3u) {
    let block = block_index(group, groups);
    if (block >= params.n / BLOCK_SIZE) {
        return;
    }
    let base = block * BLOCK_VECS;
    let mine = local / HALF_OWNERS;   // the half holding this invocation's elements
    let slot = owner_slot(local);
    // Invocation `local` owns elements 16 local .. 16 local + 15 of the block: q0 .. q3.
    var q0 = vec4u(0u);
    var q1 = vec4u(0u);
    var q2 = vec4u(0u);
    var q3 = vec4u(0u);
    for (var half = 0u; half < 2u; half++) {
        fill_tile(local, base + half * HALF_VECS);
        if (mine == half) {
            q0 = tile[padded(slot)];
            q1 = tile[padded(slot + 1u)];
            q2 = tile[padded(slot + 2u)];
            q3 = tile[padded(slot + 3u)];
        }
        workgroupBarrier();
    }
    q0 = inclusive4(q0, 0u);
    q1 = inclusive4(q1, q0.w);
    q2 = inclusive4(q2, q1.w);
    q3 = inclusive4(q3, q2.w);
    let offset = vec4u(workgroup_exclusive_scan(local, q3.w) + sums[block]);
    for (var half = 0u; half < 2u; half++) {
        if (mine == half) {
            tile[padded(slot)] = q0 + offset;
            tile[padded(slot + 1u)] = q1 + offset;
            tile[padded(slot + 2u)] = q2 + offset;
            tile[padded(slot + 3u)] = q3 + offset;
        }
        workgroupBarrier();
        drain_tile(local, base + half * HALF_VECS);
        // The next half refills the tile only after every invocation stored this one.
        workgroupBarrier();
    }
}
