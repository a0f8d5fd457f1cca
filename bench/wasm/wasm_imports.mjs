// Reads the function imports of a wasm binary with their signatures ("i32 i64 -> i64"), so the
// tests can hold the glue's declared signatures against what clang actually emitted for the
// wasm32 C ABI (structs by value become pointers, uint64_t becomes i64, and so on).
// Only the type and import sections are decoded; everything else is skipped by its length.

const VALUE_TYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }
  byte() {
    return this.bytes[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, b;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  valueTypes() {
    const count = this.u32();
    return Array.from({ length: count }, () => VALUE_TYPES[this.byte()] ?? 'unknown');
  }
}

function readTypes(r) {
  const count = r.u32();
  const types = [];
  for (let i = 0; i < count; i++) {
    if (r.byte() !== 0x60) throw new Error('wasm_imports: only function types are supported in the type section');
    types.push({ params: r.valueTypes(), results: r.valueTypes() });
  }
  return types;
}

// Skips the descriptor of a non-function import (table, memory, global, tag).
function skipImportDescriptor(r, kind) {
  const limits = () => {
    const flags = r.byte();
    r.u32();
    if (flags & 1) r.u32();
  };
  if (kind === 1) {
    r.byte();
    limits();
  } else if (kind === 2) limits();
  else if (kind === 3) r.pos += 2;
  else if (kind === 4) {
    r.byte();
    r.u32();
  }
}

function readImports(r, types) {
  const count = r.u32();
  const imports = [];
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    if (kind === 0) imports.push({ module, name, ...types[r.u32()] });
    else skipImportDescriptor(r, kind);
  }
  return imports;
}

/** [{module, name, params: ['i32', ...], results: [...]}] for every imported function. */
export function functionImports(bytes) {
  const r = new Reader(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (!magic.every((b, i) => r.bytes[i] === b)) throw new Error('wasm_imports: not a wasm binary');
  r.pos = 8; // magic and version
  let types = [];
  let imports = [];
  while (r.pos < r.bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) types = readTypes(r);
    else if (id === 2) imports = readImports(r, types);
    r.pos = end;
  }
  return imports;
}

/** "i32 i64 -> i64" */
export function signatureText({ params, results }) {
  return `${params.join(' ')} -> ${results.join(' ')}`.trim();
}
