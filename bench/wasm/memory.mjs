// Access to a wasm32 module's linear memory for the glue: little-endian scalars at byte
// addresses, WGPUStringView strings, and allocations through the module's own malloc/free
// (so C can free what the glue allocated for it, and the other way round).
// The memory's ArrayBuffer is replaced whenever the module grows its memory (any call into
// malloc may do that), so views are never cached across calls.

export const SIZE_MAX = 0xffffffff; // size_t on wasm32; also WGPU_STRLEN and WGPU_WHOLE_MAP_SIZE
export const UINT64_MAX = 0xffffffffffffffffn; // WGPU_WHOLE_SIZE, WGPU_LIMIT_U64_UNDEFINED
export const UINT32_MAX = 0xffffffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class LinearMemory {
  attach(exports) {
    this.exports = exports;
  }

  get buffer() {
    return this.exports.memory.buffer;
  }

  get view() {
    return new DataView(this.exports.memory.buffer);
  }

  bytes(ptr, length) {
    return new Uint8Array(this.exports.memory.buffer, ptr, length);
  }

  u32(ptr) { return this.view.getUint32(ptr, true); }
  u64(ptr) { return this.view.getBigUint64(ptr, true); }
  f64(ptr) { return this.view.getFloat64(ptr, true); }
  setU32(ptr, value) { this.view.setUint32(ptr, value, true); }
  setU64(ptr, value) { this.view.setBigUint64(ptr, BigInt(value), true); }

  /** A uint64_t that must fit a JS number (sizes and offsets); WGPU_WHOLE_SIZE reads as undefined. */
  size64(ptr) {
    const value = this.u64(ptr);
    return value === UINT64_MAX ? undefined : Number(value);
  }

  /** A size_t count or length; WGPU_WHOLE_MAP_SIZE reads as undefined. */
  size32(ptr) {
    const value = this.u32(ptr);
    return value === SIZE_MAX ? undefined : value;
  }

  zero(ptr, length) {
    this.bytes(ptr, length).fill(0);
  }

  cstring(ptr) {
    const heap = new Uint8Array(this.exports.memory.buffer);
    let end = ptr;
    while (heap[end] !== 0) end++;
    return decoder.decode(heap.subarray(ptr, end));
  }

  /** The WGPUStringView at `ptr`: undefined for the null view, else the text it points to. */
  stringView(ptr) {
    const data = this.u32(ptr);
    const length = this.u32(ptr + 4);
    if (data === 0) return length === 0 || length === SIZE_MAX ? undefined : '';
    if (length === SIZE_MAX) return this.cstring(data);
    return decoder.decode(this.bytes(data, length));
  }

  malloc(size) {
    const ptr = this.exports.malloc(size) >>> 0;
    if (ptr === 0 && size > 0) throw new Error(`wasm32 malloc(${size}) failed: linear memory is exhausted`);
    return ptr;
  }

  free(ptr) {
    if (ptr) this.exports.free(ptr);
  }

  /** `text` as NUL-terminated UTF-8 in malloc'd memory: {ptr, length} (length without the NUL). */
  allocString(text) {
    const bytes = encoder.encode(text);
    const ptr = this.malloc(bytes.length + 1);
    this.bytes(ptr, bytes.length).set(bytes);
    this.bytes(ptr + bytes.length, 1)[0] = 0;
    return { ptr, length: bytes.length };
  }

  /** Fills the WGPUStringView at `ptr` with a malloc'd copy of `text`; returns the copy to free. */
  setStringView(ptr, text) {
    const { ptr: data, length } = this.allocString(text ?? '');
    this.setU32(ptr, data);
    this.setU32(ptr + 4, length);
    return data;
  }
}
