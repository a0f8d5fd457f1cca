// Inclusive prefix sum of n u32 (wrapping) in one pass: decoupled look-back (Merrill and
// Garland 2016, the algorithm of CUB's DeviceScan, which bench/cuda runs for this case).
//   clear_state:   zeroes `state` (the tile counter and every tile's descriptor); first in the
//                  batch, since the scan needs them zero.
//   scan_lookback: each workgroup takes the next tile id from an atomic counter, scans its
//                  block of 4096 elements (256 invocations x 16, as kernels/scan.wgsl's
//                  scan_blocks), publishes the block's total, then walks back over the
//                  descriptors of earlier tiles, adding totals until it meets an inclusive
//                  prefix, and publishes its own inclusive prefix.
// Bindings (@group(0)): 0 input (array<vec4u>, read), 1 output (array<vec4u>, read_write),
// 2 state (array<atomic<u32>>, 4 * (n / 4096 + 1) words, read_write), 3 params (uniform; n
// counts u32, a multiple of 4096, n / 4096 <= 16384). Dispatch: clear_state over the state's
// words, workgroups of 256, folded into y past 65535 workgroups; then scan_lookback
// (n / 4096, 1, 1), folded likewise.
//
// Forward progress: a workgroup spins until its predecessors have published. Tile ids come
// from the counter, so every tile waited for belongs to a workgroup that has started; the scan
// finishes when a started workgroup keeps being scheduled while others spin. WebGPU does not
// guarantee that (the GPUs of the H200 class do it), so this is a variant for adapters where it
// holds; kernels/scan.wgsl (reduce, then scan) is the portable one.
//
// Publishing: WGSL atomics are relaxed, so a flag and a value in two words could be seen out
// of order. Each descriptor word therefore carries its own ready bit (bit 16) beside 16 bits
// of the value: words 0 and 1 hold the block total's low and high halves, words 2 and 3 the
// inclusive prefix's. A half is trusted only when its own ready bit is set.

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> input: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> output: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> state: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const BLOCK_SIZE = 4096u;        // elements per block: WORKGROUP_SIZE * 16
const BLOCK_VECS = 1024u;        // vec4 per block
const HALF_VECS = 512u;          // vec4 per tile fill: half a block keeps the tile in 16 KiB
const HALF_OWNERS = 128u;        // invocations whose 16 elements lie in one half
const RAKE_LANES = 32u;
const RAKE_RUN = 8u;             // WORKGROUP_SIZE / RAKE_LANES
const READY = 0x10000u;
const TOTAL_WORD = 0u;           // word offsets in a tile's descriptor
const PREFIX_WORD = 2u;

fn padded(i: u32) -> u32 {
    return i + i / 8u;
}

var<workgroup> tile: array<vec4u, 576>;          // padded(HALF_VECS)
var<workgroup> totals: array<u32, 264>;          // one per invocation, a spare word every 32
var<workgroup> run_totals: array<vec4u, 8>;      // RAKE_LANES words
var<workgroup> tile_id: u32;
var<workgroup> block_total: u32;
var<workgroup> tile_prefix: u32;                 // the sum of every element before the block

@compute @workgroup_size(WORKGROUP_SIZE)
fn clear_state(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
    let i = id.x + id.y * groups.x * WORKGROUP_SIZE;
    if (i < arrayLength(&state)) {
        atomicStore(&state[i], 0u);
    }
}

// Exclusive prefix sum of one value per invocation, raked (as kernels/scan.wgsl). Three
// barriers; the caller adds a barrier before calling it again.
fn workgroup_exclusive_scan(local: u32, value: u32) -> u32 {
    totals[local + local / 32u] = value;
    workgroupBarrier();
    if (local < RAKE_LANES) {
        let first = local * RAKE_RUN + local / 4u;
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

fn inclusive4(q: vec4u, carry: u32) -> vec4u {
    let a = carry + q.x;
    let b = a + q.y;
    let c = b + q.z;
    return vec4u(a, b, c, c + q.w);
}

// ---------------------------------------------------------------- descriptors

fn descriptor(tile_index: u32) -> u32 {
    return 4u * (tile_index + 1u);   // word 0 of state is the tile counter
}

fn publish(tile_index: u32, word: u32, value: u32) {
    let at = descriptor(tile_index) + word;
    atomicStore(&state[at], READY | (value & 0xFFFFu));
    atomicStore(&state[at + 1u], READY | (value >> 16u));
}

// The value at `word` of the tile's descriptor (x) and whether both its halves were ready
// (y: 1 or 0).
fn read_published(tile_index: u32, word: u32) -> vec2u {
    let at = descriptor(tile_index) + word;
    let low = atomicLoad(&state[at]);
    let high = atomicLoad(&state[at + 1u]);
    let ready = (low & high & READY) != 0u;
    return vec2u((low & 0xFFFFu) | ((high & 0xFFFFu) << 16u), select(0u, 1u, ready));
}

// The sum of every element before tile `tile_index` (> 0), from its predecessors'
// descriptors: an inclusive prefix ends the walk, a block total adds and moves one back, a
// tile that has published nothing yet is read again.
fn look_back(tile_index: u32) -> u32 {
    var sum = 0u;
    var p = tile_index - 1u;
    loop {
        let prefix = read_published(p, PREFIX_WORD);
        if (prefix.y != 0u) {
            sum += prefix.x;
            break;
        }
        let total = read_published(p, TOTAL_WORD);
        if (total.y != 0u) {
            sum += total.x;
            p -= 1u;   // tile 0 publishes its prefix first, so p never passes 0
        }
    }
    return sum;
}

fn publish_and_look_back(tile_index: u32, total: u32) -> u32 {
    if (tile_index == 0u) {
        publish(0u, PREFIX_WORD, total);
        return 0u;
    }
    publish(tile_index, TOTAL_WORD, total);
    let before = look_back(tile_index);
    publish(tile_index, PREFIX_WORD, before + total);
    return before;
}

// ---------------------------------------------------------------- the scan

fn fill_tile(local: u32, start: u32) {
    tile[padded(local)] = input[start + local];
    tile[padded(local + WORKGROUP_SIZE)] = input[start + local + WORKGROUP_SIZE];
    workgroupBarrier();
}

fn drain_tile(local: u32, start: u32) {
    output[start + local] = tile[padded(local)];
    output[start + local + WORKGROUP_SIZE] = tile[padded(local + WORKGROUP_SIZE)];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_lookback(@builtin(local_invocation_index) local: u32) {
    if (local == 0u) {
        tile_id = atomicAdd(&state[0], 1u);
    }
    let block = workgroupUniformLoad(&tile_id);
    if (block >= params.n / BLOCK_SIZE) {
        return;   // the fold can launch a few workgroups more than there are blocks
    }
    let base = block * BLOCK_VECS;
    let mine = local / HALF_OWNERS;
    let slot = 4u * (local % HALF_OWNERS);
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
    let within = workgroup_exclusive_scan(local, q3.w);
    if (local == WORKGROUP_SIZE - 1u) {
        block_total = within + q3.w;
    }
    workgroupBarrier();
    if (local == 0u) {
        tile_prefix = publish_and_look_back(block, block_total);
    }
    let offset = vec4u(within + workgroupUniformLoad(&tile_prefix));
    for (var half = 0u; half < 2u; half++) {
        if (mine == half) {
            tile[padded(slot)] = q0 + offset;
            tile[padded(slot + 1u)] = q1 + offset;
            tile[padded(slot + 2u)] = q2 + offset;
            tile[padded(slot + 3u)] = q3 + offset;
        }
        workgroupBarrier();
        drain_tile(local, base + half * HALF_VECS);
        workgroupBarrier();
    }
}
