// WebGL2 helpers for fragment-shader GPGPU: full-screen draws into float/uint textures.
// Data lives in 2D textures (one element per texel, row-major), since WebGL2 has no buffers
// shaders can write.

const VERTEX = `#version 300 es
// One triangle covering the viewport, from gl_VertexID alone, so no vertex buffers are needed.
void main() {
  vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}`;

/** Upload format, type and components per internal format (WebGL2 table 3.2 pairs). */
export function formatOf(gl, internal) {
  const table = {
    [gl.RGBA32F]: { format: gl.RGBA, type: gl.FLOAT, comps: 4, Array: Float32Array },
    [gl.R32F]: { format: gl.RED, type: gl.FLOAT, comps: 1, Array: Float32Array },
    [gl.R32UI]: { format: gl.RED_INTEGER, type: gl.UNSIGNED_INT, comps: 1, Array: Uint32Array },
    [gl.RGBA32UI]: { format: gl.RGBA_INTEGER, type: gl.UNSIGNED_INT, comps: 4, Array: Uint32Array },
  };
  const f = table[internal];
  if (!f) throw new Error(`no format entry for internal format 0x${internal.toString(16)}`);
  return f;
}

/**
 * Width and height of a texture holding `count` texels, or {reason} when it cannot fit.
 * Power-of-two widths keep the common power-of-two sizes free of padding texels.
 */
export function layout2D(count, maxSize) {
  const w = Math.min(maxSize, 2 ** Math.ceil(Math.log2(Math.sqrt(count))));
  const h = Math.ceil(count / w);
  if (h > maxSize) return { reason: `${count} texels need ${w}x${h}, past MAX_TEXTURE_SIZE ${maxSize}` };
  return { w, h };
}

function compile(gl, type, source) {
  const shader = gl.createShader(type);
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new Error(`shader does not compile: ${gl.getShaderInfoLog(shader)}`);
  }
  return shader;
}

/** Links `fragment` with the full-screen vertex shader; returns {program, loc(name)}. */
export function program(gl, fragment) {
  const p = gl.createProgram();
  gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, VERTEX));
  gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`link failed: ${gl.getProgramInfoLog(p)}`);
  return { program: p, loc: (name) => gl.getUniformLocation(p, name) };
}

// Every texture made, so a unit's textures (up to GiBs at the large size) go when it ends.
const live = new Set();

/** Deletes every texture and framebuffer made since the last call. */
export function releaseAll(gl) {
  for (const t of live) {
    if (t.fb) gl.deleteFramebuffer(t.fb);
    gl.deleteTexture(t.tex);
  }
  live.clear();
}

/** An immutable-storage texture with nearest sampling (texelFetch ignores it; completeness does not). */
export function texture(gl, internal, w, h, data = null) {
  const tex = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, tex);
  gl.texStorage2D(gl.TEXTURE_2D, 1, internal, w, h);
  for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D, p, gl.NEAREST);
  const t = { tex, internal, w, h, fmt: formatOf(gl, internal), fb: null };
  live.add(t);
  if (data) upload(gl, t, data);
  return t;
}

/** Writes `data` (w*h*comps elements, padding included) into the whole texture. */
export function upload(gl, t, data) {
  gl.bindTexture(gl.TEXTURE_2D, t.tex);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, t.w, t.h, t.fmt.format, t.fmt.type, data);
}

/** Fills the texture with 0xFF bytes (NaN floats, 0xFFFFFFFF uints) before a verification run. */
export function poison(gl, t) {
  const data = new t.fmt.Array(t.w * t.h * t.fmt.comps);
  new Uint8Array(data.buffer).fill(0xff);
  upload(gl, t, data);
}

/** The framebuffer rendering into `t` (made once; rendering to float needs EXT_color_buffer_float). */
export function framebuffer(gl, t) {
  if (t.fb) return t.fb;
  t.fb = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, t.fb);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, t.tex, 0);
  const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
  if (status !== gl.FRAMEBUFFER_COMPLETE) throw new Error(`framebuffer incomplete (0x${status.toString(16)})`);
  return t.fb;
}

/**
 * One full-screen draw of `prog` into `target`. `inputs` are textures bound to sampler uniforms
 * by name; `set(loc)` sets the other uniforms.
 */
export function draw(gl, prog, target, inputs = {}, set = () => {}) {
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer(gl, target));
  gl.viewport(0, 0, target.w, target.h);
  gl.useProgram(prog.program);
  Object.entries(inputs).forEach(([name, t], unit) => {
    gl.activeTexture(gl.TEXTURE0 + unit);
    gl.bindTexture(gl.TEXTURE_2D, t.tex);
    gl.uniform1i(prog.loc(name), unit);
  });
  set(prog.loc);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
}

/**
 * Reads a w×h rectangle of `t` as its scalar elements (comps per texel). Float targets may only
 * be read as RGBA unless the implementation's preferred read format says otherwise, so one-channel
 * reads take that format where offered and drop the unused channels otherwise.
 */
export function read(gl, t, x = 0, y = 0, w = t.w, h = t.h) {
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer(gl, t));
  gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
  const { format, type, comps, Array } = t.fmt;
  const native = gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_FORMAT) === format
    && gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_TYPE) === type;
  if (comps === 4 || native) {
    const out = new Array(w * h * comps);
    gl.readPixels(x, y, w, h, format, type, out);
    return out;
  }
  const rgba = new Array(w * h * 4);
  gl.readPixels(x, y, w, h, type === gl.FLOAT ? gl.RGBA : gl.RGBA_INTEGER, type, rgba);
  const out = new Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i];
  return out;
}

/**
 * Waits until all work touching `t` is done. A 1-texel readPixels blocks until the GPU has
 * finished; fence objects cannot be polled within one task (their status only changes between
 * tasks), and gl.finish() is not guaranteed to block in Chromium.
 */
export function fence(gl, t) {
  read(gl, t, 0, 0, 1, 1);
}

/** Throws on a GL error, so a bad call fails the case instead of producing wrong numbers. */
export function checkError(gl, where) {
  const e = gl.getError();
  if (e !== gl.NO_ERROR) throw new Error(`GL error 0x${e.toString(16)} in ${where}`);
}
