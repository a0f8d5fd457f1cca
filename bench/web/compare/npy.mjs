// .npy files (format 1.0 to 3.0, little-endian, C order) for `wgslrun compare`'s JavaScript
// runner: inputs come from the CLI as .npy and outputs go back to it the same way, so every
// method's arrays are compared by one piece of C (cli/cmd_compare_diff.c).

const DESCR = { f16: '<f2', f32: '<f4', f64: '<f8', i32: '<i4', u32: '<u4' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** {dtype, shape, data: Uint8Array} from the bytes of a .npy file. */
export function parseNpy(bytes, name = 'array') {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${name}: not a .npy file`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const dtype = Object.keys(DESCR).find((k) => DESCR[k] === descr);
  if (!dtype) throw new Error(`${name}: unsupported dtype ${descr}`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${name}: Fortran order is not supported`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { dtype, shape, data: bytes.subarray(start + headerLength) };
}

/** The bytes of a version 1.0 .npy file holding `data` as `dtype` with `shape`. */
export function formatNpy(dtype, shape, data) {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

export const DTYPE_BYTES = { f16: 2, f32: 4, f64: 8, i32: 4, u32: 4 };
