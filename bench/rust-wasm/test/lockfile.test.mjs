// Versions the row reports and the build relies on agree with Cargo.lock: the WGPU_VERSION
// constant (Cargo gives no build-time access to dependency versions), and the exact
// wasm-bindgen pin that the CLI version installed by setup.sh must match.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => fs.readFileSync(path.join(DIR, file), 'utf8');

function lockedVersion(name) {
  const match = read('Cargo.lock').match(new RegExp(`name = "${name}"\\nversion = "([^"]+)"`));
  assert.ok(match, `${name} is not in Cargo.lock`);
  return match[1];
}

test('WGPU_VERSION in src/lib.rs is the wgpu in Cargo.lock', () => {
  const constant = read('src/lib.rs').match(/pub const WGPU_VERSION: &str = "([^"]+)";/)[1];
  assert.equal(constant, lockedVersion('wgpu'));
});

test('Cargo.toml pins the wasm-bindgen that Cargo.lock holds', () => {
  const pin = read('Cargo.toml').match(/^wasm-bindgen = "=([^"]+)"/m)[1];
  assert.equal(pin, lockedVersion('wasm-bindgen'));
});
