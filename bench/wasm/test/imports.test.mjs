// The binary's imports, read from build/wgslrun.wasm, against what the page provides: the glue
// implements exactly the webgpu.h functions the library imports, with the wasm signatures
// clang gave them (a struct by value is a pointer, uint64_t an i64, WGPUFuture an i64 result);
// every WASI function the program calls is implemented (not left to the ENOSYS fallback); its
// exports are those of a reactor.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionImports, signatureText } from '../wasm_imports.mjs';
import { SIGNATURES } from '../webgpu_glue.mjs';
import { Wasi } from '../wasi_shim.mjs';

const BUILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');
const imports = functionImports(fs.readFileSync(path.join(BUILD, 'wgslrun.wasm')));
const fromModule = (module) => imports.filter((i) => i.module === module);

test('the glue implements exactly the webgpu.h functions the library imports', () => {
  const imported = fromModule('webgpu').map((i) => i.name).sort();
  assert.deepEqual(Object.keys(SIGNATURES).sort(), imported);
  assert.equal(imports.filter((i) => i.module === 'env').length, 0, 'nothing is imported from "env"');
});

test('each webgpu import has the wasm signature the glue expects', () => {
  for (const i of fromModule('webgpu')) assert.equal(SIGNATURES[i.name], signatureText(i), i.name);
});

test('every WASI function the program imports is implemented', () => {
  const implemented = new Set(Wasi.implemented());
  for (const i of fromModule('wasi_snapshot_preview1')) assert.ok(implemented.has(i.name), `${i.name} is not implemented`);
});

test('the host module carries only the job and timing-loop marks', () => {
  assert.deepEqual(fromModule('wgslrun_host').map((i) => i.name).sort(), ['job_begin', 'job_end', 'measure_begin', 'measure_end']);
});

test('the module is a reactor: constructors once in _initialize, main through wgslrun_main', () => {
  // A command (one exporting _start) reruns its constructors inside every other export, here
  // every malloc and free the glue calls, which grew wasi-libc's preopen table without bound.
  const module = new WebAssembly.Module(fs.readFileSync(path.join(BUILD, 'wgslrun.wasm')));
  const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name).sort();
  assert.deepEqual(functions, ['_initialize', 'free', 'malloc', 'wgslrun_main']);
});
