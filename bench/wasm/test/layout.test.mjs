// The glue's wasm32 struct layout (layout.mjs, computed from its own declarations) must agree
// field by field with what clang computed for deps/wgpu/webgpu.h (build/layout.wasm, layout.c).
// Runs in Node: layout.wasm imports nothing but WASI.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wasi, runCommand } from '../wasi_shim.mjs';
import { LAYOUT } from '../layout.mjs';

const BUILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');

async function clangLayout() {
  const wasi = new Wasi({ args: ['layout'] });
  const bytes = fs.readFileSync(path.join(BUILD, 'layout.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: wasi.imports() });
  wasi.attach(instance);
  assert.equal(await runCommand(instance), 0);
  return JSON.parse(wasi.stdout.text);
}

test('every struct the glue reads has clang\'s wasm32 size, alignment and field offsets', async () => {
  const clang = await clangLayout();
  assert.deepEqual(Object.keys(LAYOUT).sort(), Object.keys(clang).sort());
  for (const [name, layout] of Object.entries(clang)) {
    for (const [field, offset] of Object.entries(layout.fields))
      assert.equal(LAYOUT[name].fields[field], offset, `${name}.${field}`);
    assert.equal(LAYOUT[name].size, layout.size, `sizeof(WGPU${name})`);
    assert.equal(LAYOUT[name].align, layout.align, `alignof(WGPU${name})`);
  }
});

test('wasm32 facts the glue relies on: 4-byte pointers and size_t, 8-aligned uint64_t', async () => {
  const clang = await clangLayout();
  assert.deepEqual(clang.StringView, { size: 8, align: 4, fields: { data: 0, length: 4 } });
  assert.equal(clang.FutureWaitInfo.fields.completed, 8);
  assert.equal(clang.BufferDescriptor.fields.usage % 8, 0);
});
