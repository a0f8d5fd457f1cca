// The suite's cases as WebGL2 fragment-shader passes (GLSL ES 3.00). A case's setup(ctx, unit)
// returns {unsupported: reason} or a state with textures made before timing and:
//   verify()  one run on random inputs with poisoned outputs → a reference.mjs comparison
//   run()     one run of the kernel work (GPU-timed cases; `output` is the texture to fence on)
//   sample()  wall ms of one host-driven run (transfer, e2e_saxpy)
// ctx = {gl, rng, maxTexture}; unit.def carries the case's suite.json constants, verify rule
// and metric (the page computes the metric by the suite's rule, with `state.outputSum`).
// Inputs, references and comparisons come from bench/web so every JS row checks against the
// same code.

import { uniformF32, randomBytes, sampleIndices } from '/web/rng.mjs';
import * as ref from '/web/reference.mjs';
import { constant, verifyRule } from '/web/contract.mjs';
import { layout2D, texture, upload, poison, draw, read, fence, program } from './gl.mjs';


/** Input data padded to fill a w×h texture of `comps` channels (padding is zero). */
function padded(values, w, h, comps) {
  if (values.length === w * h * comps) return values;
  const out = new values.constructor(w * h * comps);
  out.set(values);
  return out;
}

function fragment(body, decls = '') {
  return `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
${decls}
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
${body}
}`;
}

// ---- copy and triad -------------------------------------------------------------------------

function stream(triad) {
  return {
    setup({ gl, rng, maxTexture }, { def, params: { n } }) {
      const scalar = triad ? constant(def, 'scalar') : 0;
      const shape = layout2D(n, maxTexture);
      if (shape.reason) return { unsupported: shape.reason };
      const { w, h } = shape;
      const b = uniformF32(rng, 4 * n), c = uniformF32(rng, 4 * n);
      const tb = texture(gl, gl.RGBA32F, w, h, padded(b, w, h, 4));
      const tc = texture(gl, gl.RGBA32F, w, h, padded(c, w, h, 4));
      const dst = texture(gl, gl.RGBA32F, w, h);
      const prog = triad
        ? program(gl, fragment('  o = texelFetch(b, p, 0) + scalar * texelFetch(c, p, 0);', 'uniform sampler2D b, c; uniform float scalar; out vec4 o;'))
        : program(gl, fragment('  o = texelFetch(b, p, 0);', 'uniform sampler2D b; out vec4 o;'));
      const inputs = triad ? { b: tb, c: tc } : { b: tb };
      const run = () => draw(gl, prog, dst, inputs, (loc) => triad && gl.uniform1f(loc('scalar'), scalar));
      return {
        output: dst,
        run,
        verify() {
          poison(gl, dst);
          run();
          const got = read(gl, dst).subarray(0, 4 * n);
          return triad ? ref.compareRelative(got, ref.triadRef(b, c, scalar), verifyRule(def).tolerance) : ref.compareExact(got, b);
        },
      };
    },
  };
}

// ---- reduce ---------------------------------------------------------------------------------

const REDUCE = fragment(`  vec4 s = vec4(0.0);
  for (int dy = 0; dy < 4; dy++) {
    for (int dx = 0; dx < 4; dx++) {
      ivec2 q = p * 4 + ivec2(dx, dy);
      // Edge blocks of a non-multiple-of-4 level read only real texels.
      if (q.x < size.x && q.y < size.y) s += texelFetch(src, q, 0);
    }
  }
  // The last pass folds the 4 lanes, leaving the f32 sum in one texel.
  o = last ? vec4(dot(s, vec4(1.0)), 0.0, 0.0, 0.0) : s;`, 'uniform sampler2D src; uniform ivec2 size; uniform bool last; out vec4 o;');

/** Level sizes of 4×4 downsampling from w×h to 1×1 (at least one pass). */
function reduceLevels(w, h) {
  const levels = [];
  do {
    w = Math.ceil(w / 4);
    h = Math.ceil(h / 4);
    levels.push({ w, h });
  } while (w > 1 || h > 1);
  return levels;
}

const reduce = {
  setup({ gl, rng, maxTexture }, { def, params: { n } }) {
    const shape = layout2D(n / 4, maxTexture);
    if (shape.reason) return { unsupported: shape.reason };
    const values = uniformF32(rng, n);
    const input = texture(gl, gl.RGBA32F, shape.w, shape.h, padded(values, shape.w, shape.h, 4));
    const levels = reduceLevels(shape.w, shape.h).map(({ w, h }) => texture(gl, gl.RGBA32F, w, h));
    const prog = program(gl, REDUCE);
    const output = levels[levels.length - 1];
    const run = () => levels.forEach((dst, i) => {
      const src = i ? levels[i - 1] : input;
      draw(gl, prog, dst, { src }, (loc) => {
        gl.uniform2i(loc('size'), src.w, src.h);
        gl.uniform1i(loc('last'), dst === output ? 1 : 0);
      });
    });
    return {
      output,
      run,
      verify() {
        levels.forEach((t) => poison(gl, t));
        run();
        return ref.compareScalar(read(gl, output, 0, 0, 1, 1)[0], ref.sumRef(values), verifyRule(def).tolerance);
      },
    };
  },
};

// ---- sgemm_naive ----------------------------------------------------------------------------

const SGEMM = fragment(`  float s = 0.0;
  for (int k = 0; k < n; k++) s += texelFetch(a, ivec2(k, p.y), 0).r * texelFetch(b, ivec2(p.x, k), 0).r;
  o = vec4(s, 0.0, 0.0, 1.0);`, 'uniform sampler2D a, b; uniform int n; out vec4 o;');

// Past this many outputs the check reads only the sampled texels, one readPixels each.
const FULL_READ_LIMIT = 1 << 22;

const sgemmNaive = {
  setup({ gl, rng, maxTexture }, { def, params: { n } }) {
    if (n > maxTexture) return { unsupported: `n = ${n} exceeds MAX_TEXTURE_SIZE ${maxTexture}` };
    const a = uniformF32(rng, n * n, -1, 1), b = uniformF32(rng, n * n, -1, 1);
    // Texel (x, y) of an n-wide texture is element y*n + x: A's rows and B's rows as uploaded.
    const ta = texture(gl, gl.R32F, n, n, a), tb = texture(gl, gl.R32F, n, n, b);
    const c = texture(gl, gl.R32F, n, n);
    const prog = program(gl, SGEMM);
    // The suite's sample of outputs at every n (reading all of a product back costs too much here).
    const rule = verifyRule(def);
    const picks = sampleIndices(rng, n * n, rule.samples);
    const run = () => draw(gl, prog, c, { a: ta, b: tb }, (loc) => gl.uniform1i(loc('n'), n));
    const readPicks = () => {
      if (n * n <= FULL_READ_LIMIT) {
        const all = read(gl, c);
        return Float64Array.from(picks, (i) => all[i]);
      }
      return Float64Array.from(picks, (i) => read(gl, c, i % n, Math.floor(i / n), 1, 1)[0]);
    };
    return {
      output: c,
      run,
      verify() {
        poison(gl, c);
        run();
        const want = Float64Array.from(picks, (i) => ref.sgemmElement(a, b, n, Math.floor(i / n), i % n));
        return ref.compareSgemm(readPicks(), want, rule.tolerance);
      },
    };
  },
};

// ---- nbody ----------------------------------------------------------------------------------

const NBODY = fragment(`  vec3 pi = texelFetch(bodies, p, 0).xyz;
  vec3 a = vec3(0.0);
  // Row by row over the body texture, so no per-body division finds its texel. Padding
  // texels have mass 0 and add nothing.
  for (int y = 0; y < size.y; y++) {
    for (int x = 0; x < size.x; x++) {
      vec4 b = texelFetch(bodies, ivec2(x, y), 0);
      vec3 d = b.xyz - pi;
      float r2 = dot(d, d) + eps2;
      a += (b.w / (r2 * sqrt(r2))) * d;
    }
  }
  o = vec4(a, 0.0);`, 'uniform sampler2D bodies; uniform ivec2 size; uniform float eps2; out vec4 o;');

function randomBodies(rng, n) {
  const pos = uniformF32(rng, 3 * n, -1, 1), mass = uniformF32(rng, n, 0.5, 1);
  const bodies = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    bodies.set(pos.subarray(3 * i, 3 * i + 3), 4 * i);
    bodies[4 * i + 3] = mass[i];
  }
  return bodies;
}

const nbody = {
  setup({ gl, rng, maxTexture }, { def, params: { n } }) {
    const shape = layout2D(n, maxTexture);
    if (shape.reason) return { unsupported: shape.reason };
    const { w, h } = shape, eps2 = constant(def, 'eps2');
    const bodies = randomBodies(rng, n);
    const rule = verifyRule(def);
    const picks = sampleIndices(rng, n, rule.samples);
    const tb = texture(gl, gl.RGBA32F, w, h, padded(bodies, w, h, 4));
    const accel = texture(gl, gl.RGBA32F, w, h);
    const prog = program(gl, NBODY);
    const run = () => draw(gl, prog, accel, { bodies: tb }, (loc) => {
      gl.uniform2i(loc('size'), w, h);
      gl.uniform1f(loc('eps2'), eps2);
    });
    return {
      output: accel,
      run,
      verify() {
        poison(gl, accel);
        run();
        const a = read(gl, accel);
        const badW = picks.find((i) => a[4 * i + 3] !== 0);
        if (badW !== undefined) return { ok: false, maxError: Infinity, bad: 1, detail: `accel[${badW}].w = ${a[4 * badW + 3]}, expected 0` };
        const got = picks.map((i) => [a[4 * i], a[4 * i + 1], a[4 * i + 2]]);
        return ref.compareVectors(got, picks.map((i) => ref.nbodyAccel(bodies, n, i, eps2)), rule.tolerance);
      },
    };
  },
};

// ---- stencil --------------------------------------------------------------------------------

const JACOBI = fragment(`  float c = texelFetch(src, p, 0).r;
  if (p.x == 0 || p.y == 0 || p.x == size.x - 1 || p.y == size.y - 1) {
    o = vec4(c, 0.0, 0.0, 1.0);
  } else {
    // The reference's order of additions: W, E, N, S.
    float s = texelFetch(src, p - ivec2(1, 0), 0).r + texelFetch(src, p + ivec2(1, 0), 0).r;
    s = s + texelFetch(src, p - ivec2(0, 1), 0).r;
    s = s + texelFetch(src, p + ivec2(0, 1), 0).r;
    o = vec4(0.25 * s, 0.0, 0.0, 1.0);
  }`, 'uniform sampler2D src; uniform ivec2 size; out vec4 o;');

// The grid is read from its own texture and ping-pongs between two others (a texture cannot
// be sampled and rendered to at once), so both outputs can be poisoned and every run does the
// same work from the same start.
const stencil = {
  setup({ gl, rng, maxTexture }, { def, params: { width, height, iterations } }) {
    if (width > maxTexture || height > maxTexture) return { unsupported: `${width}x${height} exceeds MAX_TEXTURE_SIZE ${maxTexture}` };
    const init = uniformF32(rng, width * height);
    const input = texture(gl, gl.R32F, width, height, init);
    const pair = [texture(gl, gl.R32F, width, height), texture(gl, gl.R32F, width, height)];
    const prog = program(gl, JACOBI);
    const output = pair[(iterations - 1) % 2];
    const run = () => {
      for (let it = 0; it < iterations; it++) {
        draw(gl, prog, pair[it % 2], { src: it ? pair[(it - 1) % 2] : input }, (loc) => gl.uniform2i(loc('size'), width, height));
      }
    };
    return {
      output,
      run,
      verify() {
        pair.forEach((t) => poison(gl, t));
        run();
        return ref.compareAbsolute(read(gl, output), ref.jacobiRef(init, width, height, iterations, constant(def, 'weight')),
          verifyRule(def).tolerance);
      },
    };
  },
};

// ---- mandelbrot -----------------------------------------------------------------------------

const MANDELBROT = fragment(`  float cr = x0 + float(p.x) * dx;
  float ci = y0 + float(p.y) * dy;
  float zr = 0.0, zi = 0.0;
  uint count = 0u;
  while (zr * zr + zi * zi <= 4.0 && count < maxIter) {
    float t = zr * zr - zi * zi + cr;
    zi = 2.0 * zr * zi + ci;
    zr = t;
    count++;
  }
  o = uvec4(count, 0u, 0u, 0u);`, 'uniform uint maxIter; uniform float x0, y0, dx, dy; out uvec4 o;');

const mandelbrot = {
  setup({ gl, maxTexture }, { def, params: { width, height, max_iter: maxIter } }) {
    if (width > maxTexture || height > maxTexture) return { unsupported: `${width}x${height} exceeds MAX_TEXTURE_SIZE ${maxTexture}` };
    const p = ref.mandelbrotParams(width, height, maxIter,
      { x0: constant(def, 'x0'), y0: constant(def, 'y0'), span: constant(def, 'span') });
    const counts = texture(gl, gl.R32UI, width, height);
    const prog = program(gl, MANDELBROT);
    const state = { output: counts, outputSum: 0 };
    state.run = () => draw(gl, prog, counts, {}, (loc) => {
      gl.uniform1ui(loc('maxIter'), maxIter);
      for (const k of ['x0', 'y0', 'dx', 'dy']) gl.uniform1f(loc(k), p[k]);
    });
    state.verify = () => {
      poison(gl, counts);
      state.run();
      const all = read(gl, counts);
      state.outputSum = all.reduce((s, v) => s + v, 0); // the metric's work, from the GPU output
      return ref.checkMandelbrotRows(all, p, verifyRule(def));
    };
    return state;
  },
};

// ---- transfer -------------------------------------------------------------------------------

// Bytes travel as RGBA32UI texels: integer textures carry any bit pattern unchanged, where
// float ones might canonicalise NaNs.
const transfer = {
  variants: ['upload', 'readback'], // not the *_mapped ones: WebGL2 maps no memory
  setup({ gl, rng, maxTexture }, { variant, params: { bytes } }) {
    const shape = layout2D(bytes / 16, maxTexture);
    if (shape.reason) return { unsupported: `${bytes} bytes: ${shape.reason}` };
    const host = new Uint32Array(padded(randomBytes(rng, bytes), shape.w, shape.h, 16).buffer);
    const t = texture(gl, gl.RGBA32UI, shape.w, shape.h);
    const uploadOnce = () => {
      upload(gl, t, host);
      fence(gl, t);
    };
    return {
      verify() {
        poison(gl, t);
        uploadOnce();
        return ref.compareExact(read(gl, t), host);
      },
      sample() {
        const t0 = performance.now();
        if (variant === 'upload') uploadOnce();
        else read(gl, t); // readPixels into ordinary JS memory blocks until the data is there
        return performance.now() - t0;
      },
    };
  },
};

// ---- e2e_saxpy ------------------------------------------------------------------------------

// A fragment cannot update y in place (a texture may not be both sampled and rendered to), so
// y' goes to a third texture; the sample still moves 12 n bytes between host and GPU.
const SAXPY = fragment('  o = vec4(a * texelFetch(x, p, 0).r + texelFetch(y, p, 0).r, 0.0, 0.0, 1.0);',
  'uniform sampler2D x, y; uniform float a; out vec4 o;');

const e2eSaxpy = {
  setup({ gl, rng, maxTexture }, { def, params: { n } }) {
    const shape = layout2D(n, maxTexture);
    if (shape.reason) return { unsupported: shape.reason };
    const { w, h } = shape, a = constant(def, 'a');
    const x = padded(uniformF32(rng, n), w, h, 1), y = padded(uniformF32(rng, n), w, h, 1);
    const tx = texture(gl, gl.R32F, w, h), ty = texture(gl, gl.R32F, w, h), out = texture(gl, gl.R32F, w, h);
    const prog = program(gl, SAXPY);
    const once = () => {
      upload(gl, tx, x);
      upload(gl, ty, y);
      draw(gl, prog, out, { x: tx, y: ty }, (loc) => gl.uniform1f(loc('a'), a));
      return read(gl, out);
    };
    return {
      verify() {
        poison(gl, out);
        return ref.compareRelative(once().subarray(0, n), ref.saxpyRef(a, x.subarray(0, n), y.subarray(0, n)), verifyRule(def).tolerance);
      },
      sample() {
        const t0 = performance.now();
        once();
        return performance.now() - t0;
      },
    };
  },
};

// ---- cases WebGL2 cannot express ------------------------------------------------------------

// Whatever the variant, the case's own reason says why.
const unsupported = (reason) => ({ anyVariant: true, setup: () => ({ unsupported: reason }) });

export const CASES = {
  copy: stream(false),
  triad: stream(true),
  reduce,
  scan: unsupported('WebGL2 has no storage buffers or workgroup memory; a multi-pass fragment scan is not implemented'),
  histogram: unsupported('WebGL2 has no atomics or storage buffers (scatter to bins is not expressible in a fragment shader)'),
  sgemm_naive: sgemmNaive,
  sgemm_tiled: unsupported('fragment shaders have no workgroup shared memory to tile through'),
  nbody,
  stencil,
  mandelbrot,
  dispatch: unsupported('WebGL2 has no compute dispatch'),
  transfer,
  e2e_saxpy: e2eSaxpy,
};
