// bench/kernels/scan_lookback.wgsl with the look-back over a window of 32 predecessors at a
// time, as CUB's warp does: 32 invocations each read one earlier tile's descriptor, then one
// invocation combines the window nearest-first (block totals add up until an inclusive prefix
// ends the walk; a tile that has published nothing stops the window there, and the next round
// reads again from it). The suite kernel walks back one descriptor at a time from invocation 0.
// Everything else (bindings, dispatch, descriptors, the block scan) is the suite kernel's; run it
// beside that one on the H200 with
//   bash scripts/device/kernel_variants.sh scan_lookback bench/experiments/scan_lookback_window.wgsl

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

const WINDOW = 32u;
const NOT_READY = 0u;
const TOTAL_ONLY = 1u;
const PREFIX = 2u;

var<workgroup> window_kind: array<u32, 32>;      // WINDOW entries, nearest predecessor first
var<workgroup> window_value: array<u32, 32>;
var<workgroup> window_result: vec3u;             // sum of the consumed entries, done, consumed

// What lane `lane` of the window sees: the descriptor of tile `end - 1 - lane`.
fn read_window_entry(lane: u32, end: u32) {
    var kind = NOT_READY;
    var value = 0u;
    if (lane < end) {
        let p = end - 1u - lane;
        let prefix = read_published(p, PREFIX_WORD);
        if (prefix.y != 0u) {
            kind = PREFIX;
            value = prefix.x;
        } else {
            let total = read_published(p, TOTAL_WORD);
            if (total.y != 0u) {
                kind = TOTAL_ONLY;
                value = total.x;
            }
        }
    }
    window_kind[lane] = kind;
    window_value[lane] = value;
}

// Nearest first: totals add until an inclusive prefix (done) or a tile not yet published.
fn combine_window() {
    var sum = 0u;
    var done = 0u;
    var consumed = 0u;
    for (var k = 0u; k < WINDOW; k++) {
        let kind = window_kind[k];
        if (kind == NOT_READY) {
            break;
        }
        sum += window_value[k];
        consumed = k + 1u;
        if (kind == PREFIX) {
            done = 1u;
            break;
        }
    }
    window_result = vec3u(sum, done, consumed);
}

// The sum of every element before tile `tile_index` (> 0); every invocation of the workgroup
// calls it (its barriers need them all). Tile 0 publishes its prefix first, so the walk ends.
fn look_back(local: u32, tile_index: u32) -> u32 {
    var sum = 0u;
    var end = tile_index;
    loop {
        if (local < WINDOW) {
            read_window_entry(local, end);
        }
        workgroupBarrier();
        if (local == 0u) {
            combine_window();
        }
        let round = workgroupUniformLoad(&window_result);
        sum += round.x;
        if (round.y != 0u) {
            break;
        }
        end -= round.z;
    }
    return sum;
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
    let total = workgroupUniformLoad(&block_total);
    var before = 0u;
    if (block == 0u) {
        if (local == 0u) {
            publish(0u, PREFIX_WORD, total);
        }
    } else {
        if (local == 0u) {
            publish(block, TOTAL_WORD, total);
        }
        before = look_back(local, block);
        if (local == 0u) {
            publish(block, PREFIX_WORD, before + total);
        }
    }
    let offset = vec4u(within + before);
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
