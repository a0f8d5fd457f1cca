// CPU references and comparisons for every case in bench/README.md. Pure functions on typed
// arrays, no WebGPU, so they run (and are unit-tested) in any JS host.
// References are in double unless the spec asks for f32 (stencil, mandelbrot); f32 steps are
// emulated with Math.fround so the CPU rounds exactly where a GPU without FMA would.

const f = Math.fround;

// ---- references ---------------------------------------------------------------------------

/** Stream triad dst = b + s * c, in double. */
export function triadRef(b, c, scalar) {
  const out = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[i] + scalar * c[i];
  return out;
}

/** Sum of all values, in double. */
export function sumRef(values) {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Inclusive prefix sum with u32 wrap-around. */
export function inclusiveScanU32(input) {
  const out = new Uint32Array(input.length);
  let acc = 0;
  for (let i = 0; i < input.length; i++) {
    acc = (acc + input[i]) >>> 0;
    out[i] = acc;
  }
  return out;
}

/** 256-bin histogram of key & 255. */
export function histogram256(keys) {
  const bins = new Uint32Array(256);
  for (let i = 0; i < keys.length; i++) bins[keys[i] & 255]++;
  return bins;
}

/** One element C[row][col] of A·B for row-major n×n matrices, in double. */
export function sgemmElement(a, b, n, row, col) {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[row * n + k] * b[k * n + col];
  return s;
}

/** Acceleration on body i (xyz) from all bodies, in double; d = 0 (j = i) adds 0. */
export function nbodyAccel(bodies, n, i, eps2) {
  const px = bodies[4 * i], py = bodies[4 * i + 1], pz = bodies[4 * i + 2];
  let ax = 0, ay = 0, az = 0;
  for (let j = 0; j < n; j++) {
    const dx = bodies[4 * j] - px, dy = bodies[4 * j + 1] - py, dz = bodies[4 * j + 2] - pz;
    const r2 = dx * dx + dy * dy + dz * dz + eps2;
    const s = bodies[4 * j + 3] / (r2 * Math.sqrt(r2));
    ax += s * dx; ay += s * dy; az += s * dz;
  }
  return [ax, ay, az];
}

/** `iterations` Jacobi steps in f32: interior = weight (W + E + N + S), borders copied. */
export function jacobiRef(src, width, height, iterations, weight) {
  let cur = Float32Array.from(src);
  let next = new Float32Array(cur.length);
  for (let it = 0; it < iterations; it++) {
    jacobiStep(cur, next, width, height, weight);
    [cur, next] = [next, cur];
  }
  return cur;
}

function jacobiStep(src, dst, width, height, weight) {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        dst[i] = src[i];
      } else {
        const sum = f(f(f(src[i - 1] + src[i + 1]) + src[i - width]) + src[i + width]);
        dst[i] = f(weight * sum);
      }
    }
  }
}

/** Mandelbrot escape count at pixel (x, y), in f32 as the kernel computes it. */
export function mandelbrotCount(x, y, p) {
  const cr = f(p.x0 + f(f(x) * p.dx));
  const ci = f(p.y0 + f(f(y) * p.dy));
  let zr = 0, zi = 0, count = 0;
  while (f(f(zr * zr) + f(zi * zi)) <= 4 && count < p.max_iter) {
    const t = f(f(f(zr * zr) - f(zi * zi)) + cr);
    zi = f(f(f(2 * zr) * zi) + ci);
    zr = t;
    count++;
  }
  return count;
}

/** The mandelbrot uniform values for a width×height image of the view suite.json's constants
 * give: the square of side `span` from (x0, y0). */
export function mandelbrotParams(width, height, maxIter, { x0, y0, span }) {
  return { width, height, max_iter: maxIter, x0: f(x0), y0: f(y0), dx: f(span / width), dy: f(span / height) };
}

/** The spec's mandelbrot check: every `verify.row_stride`th row of `counts` (width×height,
 * row-major) against the CPU in f32; up to `verify.tolerance` of those pixels may differ (FMA
 * contraction moves boundary pixels). */
export function checkMandelbrotRows(counts, p, verify) {
  const got = [], want = [];
  for (let y = 0; y < p.height; y += verify.row_stride) {
    for (let x = 0; x < p.width; x++) {
      got.push(counts[y * p.width + x]);
      want.push(mandelbrotCount(x, y, p));
    }
  }
  return compareFraction(got, want, verify.tolerance);
}

/** saxpy y = a x + y, in double. */
export function saxpyRef(a, x, y) {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = a * x[i] + y[i];
  return out;
}

// ---- comparisons --------------------------------------------------------------------------
// Each returns {ok, maxError, bad, detail}: maxError is the quantity the tolerance bounds, bad
// the number of offending elements, detail a short description of the first one.

function firstBad(index, got, want) {
  return `first at index ${index}: got ${got}, expected ${want}`;
}

/** Exact equality of two integer (or bit-pattern) arrays. */
export function compareExact(got, want) {
  let bad = 0, first = -1, maxError = 0;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      if (first < 0) first = i;
      bad++;
      const d = Math.abs(got[i] - want[i]);
      maxError = Number.isNaN(d) ? Infinity : Math.max(maxError, d);
    }
  }
  return { ok: bad === 0, maxError, bad, detail: bad ? firstBad(first, got[first], want[first]) : '' };
}

/** Per-element relative error |got - want| / |want| against `tol` (NaN counts as failing). */
export function compareRelative(got, want, tol) {
  let bad = 0, first = -1, maxError = 0;
  for (let i = 0; i < want.length; i++) {
    const denom = Math.abs(want[i]) || 1; // an exact zero falls back to absolute error
    const e = Math.abs(got[i] - want[i]) / denom;
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > maxError) maxError = err;
    if (!(err <= tol)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  return { ok: bad === 0, maxError, bad, detail: bad ? firstBad(first, got[first], want[first]) : '' };
}

/** Max absolute error against `tol`. */
export function compareAbsolute(got, want, tol) {
  let bad = 0, first = -1, maxError = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > maxError) maxError = err;
    if (!(err <= tol)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  return { ok: bad === 0, maxError, bad, detail: bad ? firstBad(first, got[first], want[first]) : '' };
}

/** Relative error of one scalar, |got - want| / |want|. */
export function compareScalar(got, want, tol) {
  const e = Math.abs(got - want) / (Math.abs(want) || 1);
  const maxError = Number.isNaN(e) ? Infinity : e;
  const ok = maxError <= tol;
  return { ok, maxError, bad: ok ? 0 : 1, detail: ok ? '' : `got ${got}, expected ${want}` };
}

/** SGEMM check on sampled outputs: max abs error / (max |ref| + 1) <= tol. */
export function compareSgemm(got, want, tol) {
  let maxAbs = 0, maxRef = 0, first = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > maxAbs) { maxAbs = err; first = i; }
    maxRef = Math.max(maxRef, Math.abs(want[i]));
  }
  const maxError = maxAbs / (maxRef + 1);
  const ok = maxError <= tol;
  return { ok, maxError, bad: ok ? 0 : 1, detail: ok ? '' : `worst sample ${first}: got ${got[first]}, expected ${want[first]}` };
}

/** N-body check: per sampled body, |a_gpu - a_ref| / |a_ref| <= tol (vectors as [x,y,z]). */
export function compareVectors(got, want, tol) {
  let bad = 0, first = -1, maxError = 0;
  for (let i = 0; i < want.length; i++) {
    const [gx, gy, gz] = got[i], [wx, wy, wz] = want[i];
    const diff = Math.hypot(gx - wx, gy - wy, gz - wz);
    const e = diff / (Math.hypot(wx, wy, wz) || 1);
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > maxError) maxError = err;
    if (!(err <= tol)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  return { ok: bad === 0, maxError, bad, detail: bad ? firstBad(first, got[first].join(','), want[first].join(',')) : '' };
}

/** Fraction of differing values against an allowed fraction (mandelbrot's 1 % rule). */
export function compareFraction(got, want, allowed) {
  const exact = compareExact(got, want);
  const maxError = want.length ? exact.bad / want.length : 0;
  const ok = maxError <= allowed;
  return { ok, maxError, bad: exact.bad, detail: ok ? '' : `${exact.bad} of ${want.length} differ, ${exact.detail}` };
}
