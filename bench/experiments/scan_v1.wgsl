// Inclusive prefix sum of n u32 (wrapping), in blocks of 4096 = 256 invocations x 16 elements:
//   block_sums:  sums[b] = total of block b
//   scan_sums:   one workgroup turns sums into its exclusive prefix sum
//   scan_blocks: output = inclusive scan of each block + sums[b]
// Bindings (@group(0)): 0 input (array<u32>, read), 1 output (array<u32>, read_write),
// 2 sums (array<u32>, n / 4096 elements, read_write), 3 params (uniform; n a multiple of 4096,
// n / 4096 <= 16384). Dispatch: block_sums and scan_blocks (n / 4096, 1, 1) folded into y past
// 65535 workgroups; scan_sums (1, 1, 1); workgroups of 256.

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> output: array<u32>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;
const ITEMS = 16u;               // elements per invocation in a block
const BLOCK_SIZE = 4096u;        // WORKGROUP_SIZE * ITEMS
const HALF_BLOCK = 2048u;
const HALF_ITEMS = 8u;           // consecutive elements per invocation in a half block
const RAKE_LANES = 32u;
const RAKE_RUN = 8u;             // WORKGROUP_SIZE / RAKE_LANES

// Word i of a tile lives at padded(i): one spare word every 32 makes invocations that walk 8
// consecutive words start in different banks. A half block keeps the tile within the 16 KiB of
// workgroup memory WebGPU guarantees.
fn padded(i: u32) -> u32 {
    return i + i / 32u;
}

var<workgroup> tile: array<u32, 2112>;       // padded(HALF_BLOCK)
var<workgroup> totals: array<u32, 264>;      // padded(WORKGROUP_SIZE)
var<workgroup> run_totals: array<u32, RAKE_LANES>;

fn block_index(group: vec3u, groups: vec3u) -> u32 {
    return group.x + group.y * groups.x;
}

// Exclusive prefix sum of one value per invocation, raked: 32 invocations scan runs of 8,
// one scans the 32 run totals. Three barriers instead of the 16 of a Hillis-Steele scan.
fn workgroup_exclusive_scan(local: u32, value: u32) -> u32 {
    totals[padded(local)] = value;
    workgroupBarrier();
    if (local < RAKE_LANES) {
        var running = 0u;
        for (var k = 0u; k < RAKE_RUN; k++) {
            let i = padded(local * RAKE_RUN + k);
            let v = totals[i];
            totals[i] = running;
            running += v;
        }
        run_totals[local] = running;
    }
    workgroupBarrier();
    if (local == 0u) {
        var running = 0u;
        for (var k = 0u; k < RAKE_LANES; k++) {
            let v = run_totals[k];
            run_totals[k] = running;
            running += v;
        }
    }
    workgroupBarrier();
    return totals[padded(local)] + run_totals[local / RAKE_RUN];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn block_sums(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
              @builtin(num_workgroups) groups: vec3u) {
    let block = block_index(group, groups);
    if (block >= params.n / BLOCK_SIZE) {
        return;
    }
    // A total does not depend on order, so the loads can be strided (coalesced).
    let base = block * BLOCK_SIZE + local;
    var sum = 0u;
    for (var k = 0u; k < ITEMS; k++) {
        sum += input[base + k * WORKGROUP_SIZE];
    }
    let before = workgroup_exclusive_scan(local, sum);
    if (local == WORKGROUP_SIZE - 1u) {
        sums[block] = before + sum;
    }
}

// Scans the HALF_BLOCK words of the tile in place (inclusive, each invocation walking 8
// consecutive words) with `offset` added; returns offset plus their total. The caller fills the
// tile and waits on a barrier first; the tile is final when this returns.
fn scan_tile(local: u32, offset: u32) -> u32 {
    let first = local * HALF_ITEMS;
    var sum = 0u;
    for (var k = 0u; k < HALF_ITEMS; k++) {
        sum += tile[padded(first + k)];
    }
    var running = offset + workgroup_exclusive_scan(local, sum);
    for (var k = 0u; k < HALF_ITEMS; k++) {
        running += tile[padded(first + k)];
        tile[padded(first + k)] = running;
    }
    workgroupBarrier();
    return tile[padded(HALF_BLOCK - 1u)];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_sums(@builtin(local_invocation_index) local: u32) {
    // Up to 16384 sums in chunks of HALF_BLOCK, read and written coalesced through the tile.
    let count = params.n / BLOCK_SIZE;
    var offset = 0u;
    for (var start = 0u; start < count; start += HALF_BLOCK) {
        for (var k = 0u; k < HALF_ITEMS; k++) {
            let i = k * WORKGROUP_SIZE + local;
            var value = 0u;
            if (start + i < count) {
                value = sums[start + i];
            }
            tile[padded(i)] = value;
        }
        workgroupBarrier();
        let next = scan_tile(local, offset);
        // Exclusive: each sum is replaced by the inclusive scan of the ones before it.
        for (var k = 0u; k < HALF_ITEMS; k++) {
            let i = k * WORKGROUP_SIZE + local;
            if (start + i < count) {
                var before = offset;
                if (i > 0u) {
                    before = tile[padded(i - 1u)];
                }
                sums[start + i] = before;
            }
        }
        offset = next;
        workgroupBarrier();
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scan_blocks(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u,
               @builtin(num_workgroups) groups: vec3u) {
    let block = block_index(group, groups);
    if (block >= params.n / BLOCK_SIZE) {
        return;
    }
    // Half a block at a time: loaded coalesced into the tile, scanned there, stored coalesced.
    var offset = sums[block];
    for (var half = 0u; half < 2u; half++) {
        let start = block * BLOCK_SIZE + half * HALF_BLOCK;
        for (var k = 0u; k < HALF_ITEMS; k++) {
            let i = k * WORKGROUP_SIZE + local;
            tile[padded(i)] = input[start + i];
        }
        workgroupBarrier();
        offset = scan_tile(local, offset);
        for (var k = 0u; k < HALF_ITEMS; k++) {
            let i = k * WORKGROUP_SIZE + local;
            output[start + i] = tile[padded(i)];
        }
        // The tile is refilled by the next half only; after the last one nothing reads it.
        if (half == 0u) {
            workgroupBarrier();
        }
    }
}
