// Dispatch overhead probe: one invocation adds 1 to a counter, so the counter after a run
// equals the number of dispatches that reached the GPU.
// Bindings (@group(0)): 0 counter (atomic<u32>, read_write). Dispatch: (1, 1, 1).

@group(0) @binding(0) var<storage, read_write> counter: atomic<u32>;

@compute @workgroup_size(1)
fn tick() {
    atomicAdd(&counter, 1u);
}
