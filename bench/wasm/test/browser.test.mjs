// The wasm32 build in headless Chromium (SwiftShader), against the suite and the native CLI:
//   - the benchmark runner passes verification on every case of the small suite;
//   - integer kernels give bit-identical outputs to the native build (same C code generating
//     the inputs, exact GPU arithmetic), and match a CPU reference;
//   - bad inputs (a WGSL compile error, with and without non-ASCII text before the error on
//     its line; a missing binding) fail with the same message text as the native CLI.
// The native CLI is $WGSLRUN_NATIVE or build/wgslrun at the repository root, run on Dawn with
// SwiftShader; its tests are skipped with a reason when it has not been built.

import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openBrowser, fileBytes, BENCH_DIR, SWIFTSHADER_ICD } from '../browser.mjs';
import { keepResult } from '../../web/test/helpers.mjs';

const ROOT = path.resolve(BENCH_DIR, '..');
const NATIVE = process.env.WGSLRUN_NATIVE || path.join(ROOT, 'build', 'wgslrun');
const NO_NATIVE = fs.existsSync(NATIVE) ? false : `no native CLI at ${NATIVE} (build it with make build)`;
const KERNELS_IN_PAGE = '/wgslrun/bench/kernels';

let browser;
let workDir;

before(async () => {
  browser = await openBrowser();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgslrun-wasm-test-'));
});

after(async () => {
  await browser?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** Native `wgslrun ARGS` on SwiftShader: {status, stdout, stderr} (Vulkan loader noise dropped). */
function runNative(args) {
  const env = { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES || SWIFTSHADER_ICD, WGSLRUN_IMPL: 'dawn' };
  const r = spawnSync(NATIVE, args, { cwd: workDir, env, encoding: 'utf8', timeout: 120_000 });
  const stderr = r.stderr.split('\n').filter((l) => !l.includes('XDG_RUNTIME_DIR')).join('\n');
  return { status: r.status, stdout: r.stdout, stderr };
}

/** The same command in the page, with `files` (path: text) written first at the same paths. */
async function runWasm(args, files = {}) {
  const r = await browser.run({ args, files });
  assert.equal(r.fatal, null, `the wasm module died: ${r.fatal}`);
  return r;
}

test('the wasm build passes verification on every case of the small suite', async () => {
  const r = await runWasm(['bench', '--size', 'small', '--json', '/out/small.json']);
  assert.equal(r.exit_code, 0, r.stderr);
  const report = JSON.parse(fileBytes(r, '/out/small.json').toString('utf8'));
  keepResult(report, 'wasm-runner');
  const suite = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'suite.json'), 'utf8'));
  assert.deepEqual(new Set(report.results.map((x) => x.case)), new Set(suite.cases.map((c) => c.id)));
  for (const result of report.results) {
    const name = result.variant ? `${result.case}/${result.variant}` : result.case;
    assert.equal(result.verified, true, `${name}: ${result.error}`);
    assert.ok(result.metric.value > 0, `${name} has a metric`);
  }
  assert.equal(r.glue.jobs.length, report.results.length, 'one boundary record per result');
});

// ---------------------------------------------------------------- bit-identical outputs

/** Runs the kernel natively and in the page, saving `output` raw; resolves to both byte arrays. */
async function bothOutputs(kernel, entry, binds, grid, output) {
  const name = `${output}.bin`;
  const nativeArgs = ['run', path.join(BENCH_DIR, 'kernels', kernel), '--entry', entry, ...binds.flatMap((b) => ['--bind', b]),
                      '--grid', grid, '--out', `${output}=${name}`];
  const native = runNative(nativeArgs);
  assert.equal(native.status, 0, native.stderr);
  const wasmArgs = [...nativeArgs];
  wasmArgs[1] = `${KERNELS_IN_PAGE}/${kernel}`;
  wasmArgs[wasmArgs.length - 1] = `${output}=/out/${name}`;
  const wasm = await runWasm(wasmArgs);
  assert.equal(wasm.exit_code, 0, wasm.stderr);
  return { native: new Uint32Array(new Uint8Array(fs.readFileSync(path.join(workDir, name))).buffer),
           wasm: new Uint32Array(new Uint8Array(fileBytes(wasm, `/out/${name}`)).buffer) };
}

function assertSameWords(native, wasm, reference) {
  assert.equal(wasm.length, native.length);
  assert.ok(Buffer.from(wasm.buffer).equals(Buffer.from(native.buffer)), 'wasm and native outputs differ');
  const firstWrong = reference.findIndex((v, i) => v !== wasm[i]);
  assert.equal(firstWrong, -1, `element ${firstWrong}: ${wasm[firstWrong]}, reference ${reference[firstWrong]}`);
}

test('histogram of iota keys: wasm and native bins are bit-identical', { skip: NO_NATIVE }, async () => {
  const n = 100_000; // not a multiple of 256, so the bins differ
  const { native, wasm } = await bothOutputs('histogram.wgsl', 'histogram',
    [`keys=iota:u32:${n}`, 'bins=zeros:u32:256', `params=values:u32:${n}`], String(Math.ceil(n / 256)), 'bins');
  const reference = new Uint32Array(256);
  for (let i = 0; i < n; i++) reference[i & 255]++;
  assertSameWords(native, wasm, reference);
});

test('scan_blocks of iota: wasm and native prefix sums are bit-identical, wrapping u32', { skip: NO_NATIVE }, async () => {
  const n = 1 << 21; // the last blocks' sums pass 2^32
  const blocks = n / 4096;
  const { native, wasm } = await bothOutputs('scan.wgsl', 'scan_blocks',
    [`input=iota:u32:${n}`, `output=zeros:u32:${n}`, `sums=zeros:u32:${blocks}`, `params=values:u32:${n}`],
    String(blocks), 'output');
  const reference = new Uint32Array(n);
  for (let i = 0; i < n; i++) reference[i] = i % 4096 === 0 ? i : (reference[i - 1] + i) >>> 0;
  const exactLast = ((n - 4096) + (n - 1)) * 4096 / 2; // the last block's total, below 2^53
  assert.ok(exactLast > 2 ** 32 && reference[n - 1] === exactLast % 2 ** 32, 'the reference wraps');
  assertSameWords(native, wasm, reference);
});

// ---------------------------------------------------------------- the same messages

const UNRESOLVED = [
  '@group(0) @binding(0) var<storage, read_write> out: array<u32>;',
  '',
  '@compute @workgroup_size(64)',
  'fn main(@builtin(global_invocation_id) id: vec3u) {',
  '    out[id.x] = id.x + undefined_name;',
  '}',
  '',
].join('\n');

/** Runs `args` natively and in the page with `source` at the same path; both must fail alike. */
async function sameFailure(args, file, source) {
  const filePath = path.join(workDir, file);
  fs.writeFileSync(filePath, source);
  const full = args.map((a) => a.replace('FILE', filePath));
  const native = runNative(full);
  const wasm = await runWasm(full, { [filePath]: source });
  assert.notEqual(native.status, 0, 'the native CLI should fail');
  assert.equal(wasm.exit_code, native.status);
  assert.equal(wasm.stderr, native.stderr);
  assert.equal(wasm.stdout, native.stdout);
  return wasm.stderr;
}

test('a WGSL compile error: the same message as the native CLI', { skip: NO_NATIVE }, async () => {
  const stderr = await sameFailure(['run', 'FILE', '--bind', 'out=zeros:u32:64', '--grid', '1'], 'bad.wgsl', UNRESOLVED);
  assert.match(stderr, /bad\.wgsl:5:24: error: unresolved value 'undefined_name'/);
});

test('a compile error after non-ASCII text: byte columns, as natively', { skip: NO_NATIVE }, async () => {
  const source = UNRESOLVED.replace('out[id.x] =', '/* größe ≥ 0 */ out[id.x] =');
  const stderr = await sameFailure(['check', 'FILE'], 'unicode.wgsl', source);
  const line = source.split('\n')[4];
  const byteColumn = Buffer.byteLength(line.slice(0, line.indexOf('undefined_name'))) + 1;
  assert.notEqual(byteColumn, line.indexOf('undefined_name') + 1, 'the line has multi-byte characters before the error');
  assert.match(stderr, new RegExp(`unicode\\.wgsl:5:${byteColumn}: error: unresolved value 'undefined_name'`));
});

test('a missing binding: the same message as the native CLI', { skip: NO_NATIVE }, async () => {
  const source = fs.readFileSync(path.join(BENCH_DIR, 'kernels', 'histogram.wgsl'), 'utf8');
  const stderr = await sameFailure(['run', 'FILE', '--bind', 'keys=iota:u32:1024', '--bind', 'params=values:u32:1024', '--grid', '4'],
    'histogram.wgsl', source);
  assert.match(stderr, /binding 'bins' \(@group\(0\) @binding\(1\), line 13\) is not bound/);
});

// ---------------------------------------------------------------- what the wasm32 build lacks

const TEXTURE_COPY = [
  '@group(0) @binding(0) var src: texture_2d<f32>;',
  '@group(0) @binding(1) var dst: texture_storage_2d<rgba8unorm, write>;',
  '@compute @workgroup_size(8, 8)',
  'fn main(@builtin(global_invocation_id) id: vec3u) {',
  '    textureStore(dst, vec2i(id.xy), textureLoad(src, vec2i(id.xy), 0));',
  '}',
  '',
].join('\n');

test('textures and PNG: a clear error in the wasm32 build, which has neither', async () => {
  const file = path.join(workDir, 'copy.wgsl');
  const photo = path.join(workDir, 'photo.png');
  const png = await runWasm(['run', file, '--bind', `src=${photo}`, '--bind', 'dst=zeros:rgba8unorm:8x8', '--size', '8,8'],
    { [file]: TEXTURE_COPY, [photo]: 'not read' });
  assert.equal(png.exit_code, 1);
  assert.equal(png.stderr.trim(), `wgslrun run: error: ${photo}: PNG is not available in this build (use .npy)`);
  const generated = await runWasm(['run', file, '--bind', 'src=zeros:rgba8unorm:8x8', '--bind', 'dst=zeros:rgba8unorm:8x8',
    '--size', '8,8'], { [file]: TEXTURE_COPY });
  assert.equal(generated.exit_code, 1);
  assert.equal(generated.stderr.trim(), 'wgslrun run: error: wr_texture_create: textures are not available in this build (browser)');
});
