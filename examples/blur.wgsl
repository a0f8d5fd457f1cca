// A 3x3 tent blur of an image through a linear sampler: a sample on a texel corner averages
// the 2x2 texels around it, so four corner samples weigh the neighbourhood 1-2-1 in x and y.
//   wgslrun run examples/blur.wgsl --bind src=photo.png --bind dst=zeros:rgba8unorm:HxW \
//       --sampler smp=linear --size W,H --out dst=blurred.png
@group(0) @binding(0) var src : texture_2d<f32>;
@group(0) @binding(1) var smp : sampler;
@group(0) @binding(2) var dst : texture_storage_2d<rgba8unorm, write>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  let size = textureDimensions(dst);
  if (id.x >= size.x || id.y >= size.y) { return; }
  let texel = 1.0 / vec2f(size);
  let centre = (vec2f(id.xy) + 0.5) * texel;
  var sum = vec4f(0.0);
  for (var k = 0u; k < 4u; k++) {
    let corner = vec2f(f32(k & 1u), f32(k >> 1u)) - 0.5;
    sum += textureSampleLevel(src, smp, centre + corner * texel, 0.0);
  }
  textureStore(dst, vec2i(id.xy), sum * 0.25);
}
