// The zero-copy staging API (wr_buffer_map_upload / commit / map_download / release) in the
// wasm32 build, in headless Chromium on SwiftShader. WebGPU cannot expose GPU memory to wasm,
// so there the API degrades to a copy: the mapped pointer is ordinary linear memory, copied
// into the mapped range on commit and out of it on map_download. These check that the data
// survives the round trip bit for bit:
//   - `wgslrun run` moves every buffer through the mapped API (cli/cmd_run.c): a .npy input
//     and generated inputs come back unchanged through a copy kernel, as .npy and raw files;
//   - the bench runner's transfer/upload_mapped and readback_mapped verify a mapped upload
//     read back through a mapped download.

import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, fileBytes } from '../browser.mjs';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

async function runWasm(request) {
  const r = await browser.run(request);
  assert.equal(r.fatal, null, `the wasm module died: ${r.fatal}`);
  return r;
}

const COPY_WGSL = `
@group(0) @binding(0) var<storage, read> src : array<u32>;
@group(0) @binding(1) var<storage, read_write> dst : array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) g : vec3<u32>) {
  let i = id.x + id.y * g.x * 64u;
  if (i < arrayLength(&src)) { dst[i] = src[i]; }
}
`;

/** A .npy (format 1.0) image of little-endian u32 values. */
function npyU32(values) {
  let header = `{'descr': '<u4', 'fortran_order': False, 'shape': (${values.length},), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** The data of a .npy image this file wrote (its header is 64 bytes long). */
const npyData = (bytes) => bytes.subarray(bytes.readUInt16LE(8) + 10);

function randomU32(n, seed) {
  const out = new Uint32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x;
  }
  return out;
}

test('wasm32: wgslrun run moves .npy and generated inputs through the mapped API, bit for bit', async () => {
  // Small (4 KiB) as well as over the 256 KiB below which a plain upload is one queue write.
  for (const n of [1021, 300_007]) {
    const input = randomU32(n, 0x9e3779b9 + n);
    const iota = Uint32Array.from({ length: n }, (_, i) => i);
    for (const [source, expected, files] of [
      ['/in/x.npy', input, { '/in/x.npy': npyU32(input).toString('base64') }],
      [`iota:u32:${n}`, iota, {}],
    ]) {
      const r = await runWasm({
        args: ['run', '/in/copy.wgsl', '--bind', `src=${source}`, '--bind', `dst=zeros:u32:${n}`, '--size', String(n),
               '--out', 'dst=/out/dst.npy', '--out', 'dst=/out/dst.bin'],
        files: { '/in/copy.wgsl': COPY_WGSL },
        binaryFiles: files,
      });
      assert.equal(r.exit_code, 0, r.stderr);
      const want = Buffer.from(expected.buffer);
      assert.ok(npyData(fileBytes(r, '/out/dst.npy')).equals(want), `${source}: the .npy output differs from the input`);
      assert.ok(fileBytes(r, '/out/dst.bin').equals(want), `${source}: the raw output differs from the input`);
      // Every buffer went up through a mapped staging range (no queue write, which the copy
      // path uses for small uploads) and came back through one.
      const calls = r.glue.by_function;
      assert.equal(calls.wgpuQueueWriteBuffer, 0, `${source}: a buffer took the copy path`);
      assert.ok(calls.wgpuBufferGetMappedRange >= 2 && calls.wgpuBufferGetConstMappedRange >= 1,
        `${source}: mapped ranges ${JSON.stringify(calls)}`);
    }
  }
});

test('wasm32: a short .npy is a clear error naming it, and no output is left', async () => {
  const whole = npyU32(randomU32(4096, 7));
  const r = await runWasm({
    args: ['run', '/in/copy.wgsl', '--bind', 'src=/in/short.npy', '--bind', 'dst=zeros:u32:4096', '--size', '4096',
           '--out', 'dst=/out/dst.npy'],
    files: { '/in/copy.wgsl': COPY_WGSL },
    binaryFiles: { '/in/short.npy': whole.subarray(0, whole.length - 100).toString('base64') },
  });
  assert.equal(r.exit_code, 1);
  assert.equal(r.stderr.trim(), 'wgslrun run: error: /in/short.npy: truncated: header says 16384 bytes of data, file has 16284');
  assert.deepEqual(Object.keys(r.files).filter((f) => f.startsWith('/out/')), []);
});

test('wasm32: the bench runner verifies mapped uploads read back through mapped downloads', async () => {
  const r = await runWasm({ args: ['bench', '--size', 'small', '--filter', '^transfer/.*_mapped', '--json', '/out/m.json'] });
  assert.equal(r.exit_code, 0, r.stderr);
  const results = JSON.parse(fileBytes(r, '/out/m.json').toString('utf8')).results;
  assert.deepEqual(results.map((x) => `${x.variant} ${x.params.bytes}`),
    ['upload_mapped 1048576', 'upload_mapped 16777216', 'readback_mapped 1048576', 'readback_mapped 16777216']);
  for (const x of results) {
    assert.equal(x.verified, true, `${x.variant} ${x.params.bytes}: ${x.error ?? x.unsupported}`);
    assert.equal(x.max_error, 0);
    assert.ok(x.metric.value > 0);
  }
});
