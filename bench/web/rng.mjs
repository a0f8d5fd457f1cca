// The runner's own random generator (README: "All random data uses the runner's own generator").
// sfc32 seeded through splitmix32: tiny, fast in pure 32-bit JS arithmetic, and identical in
// Node, Deno and the browser, so a seed printed in a result reproduces the inputs anywhere.

function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Returns a function yielding uniform u32 values. */
export function makeRng(seed) {
  const mix = splitmix32(seed);
  let a = mix(), b = mix(), c = mix(), d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next(); // sfc32 wants a few rounds before its output is good
  return next;
}

/** Stable 32-bit hash of a string (FNV-1a), so each case gets its own stream from one seed. */
export function hashString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// 24 random bits scaled by 2^-24 are exactly representable in f32, so the GPU sees the very
// values the CPU reference uses.
const INV_2_24 = 1 / 16777216;

/** Float32Array of `count` values uniform in [lo, hi). */
export function uniformF32(rng, count, lo = 0, hi = 1) {
  const out = new Float32Array(count);
  const span = hi - lo;
  for (let i = 0; i < count; i++) out[i] = lo + span * ((rng() >>> 8) * INV_2_24);
  return out;
}

/** Uint32Array of `count` values uniform in [0, 2^bits). */
export function uniformU32(rng, count, bits = 32) {
  const out = new Uint32Array(count);
  const shift = 32 - bits;
  for (let i = 0; i < count; i++) out[i] = shift ? rng() >>> shift : rng();
  return out;
}

/** Random bytes for the transfer case; the 32-bit view keeps 1 GiB fills fast. */
export function randomBytes(rng, byteLength) {
  const words = new Uint32Array(byteLength / 4);
  for (let i = 0; i < words.length; i++) words[i] = rng();
  return new Uint8Array(words.buffer);
}

/** `count` distinct indices in [0, n), sorted; all of them when count >= n. */
export function sampleIndices(rng, n, count) {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set();
  while (picked.size < count) picked.add(rng() % n);
  return [...picked].sort((x, y) => x - y);
}
