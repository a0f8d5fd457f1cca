// Two entry points, each with its own resource at @group(0) @binding(0).
@group(0) @binding(0) var<storage, read_write> counts : array<atomic<u32>>;
@group(0) @binding(0) var<storage, read_write> sums : array<f32>;
@group(0) @binding(1) var<uniform> n : u32;
@id(7) override scale : f32 = 1.0;
@id(0x2) override width : u32 = 64u;
override plain = 3;
struct Tail { head : vec4<f32>, rest : array<f32> }
struct Mats { m : mat3x3<f32>, v : array<vec3<f32>, 2> }
alias Row = array<vec3f, 4>;
@group(1) @binding(0) var<storage, read> tail : Tail;
@group(1) @binding(1) var<storage, read_write> mats : array<Mats>;
@group(1) @binding(2) var<storage, read_write> rows : array<Row>;
fn bump(i : u32) { atomicAdd(&counts[i % arrayLength(&counts)], 1u); }
@compute @workgroup_size(width) fn count(@builtin(global_invocation_id) id : vec3u) { bump(id.x); }
@compute @workgroup_size(8, 8) fn total(@builtin(local_invocation_index) i : u32) {
  /* nested /* comment */ still */ sums[i] = tail.rest[i] * scale + f32(n);
}
