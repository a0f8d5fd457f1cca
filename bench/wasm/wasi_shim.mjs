// A minimal WASI (snapshot preview1) for running the wgslrun CLI in a page: arguments and
// environment, clocks, random bytes, exit, stdout/stderr captured as text, and an in-memory
// file system with one preopened directory, "/", so the C code opens files by the same paths
// it would natively (the page puts suite.json and the kernels under /wgslrun/bench). Only the
// calls wasi-libc makes for this program are implemented; the rest answer ENOSYS.
// Runs in the browser and in Node (the layout test uses it), with no dependencies.

const ERRNO = { SUCCESS: 0, BADF: 8, EXIST: 20, INVAL: 28, ISDIR: 31, NOENT: 44, NOSYS: 52, NOTDIR: 54, NOTEMPTY: 55 };
const FILETYPE = { CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4 };
const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const FDFLAGS_APPEND = 1;
const RIGHT_FD_WRITE = 1n << 6n;
const ALL_RIGHTS = (1n << 29n) - 1n;
const PREOPEN_FD = 3;

/** Thrown by proc_exit to unwind the wasm stack; run() turns it into an exit code. */
export class WasiExit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

function normalizePath(path) {
  const parts = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function parentOf(path) {
  return path === '/' ? '/' : path.slice(0, path.lastIndexOf('/')) || '/';
}

/** Files by absolute path; directories exist implicitly above every file and explicitly when made. */
export class MemoryFileSystem {
  constructor() {
    this.files = new Map();
    this.dirs = new Set(['/']);
    this.written = new Set();
  }
  writeFile(path, data) {
    const p = normalizePath(path);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
    this.files.set(p, { data: bytes, size: bytes.length });
    for (let d = parentOf(p); !this.dirs.has(d); d = parentOf(d)) this.dirs.add(d);
  }
  readFile(path) {
    const file = this.files.get(normalizePath(path));
    return file ? file.data.subarray(0, file.size) : null;
  }
  isDir(path) {
    return this.dirs.has(path);
  }
}

class OpenFile {
  constructor(path, file, writable, append) {
    this.path = path;
    this.file = file;
    this.writable = writable;
    this.append = append;
    this.pos = 0;
  }
  reserve(end) {
    if (end <= this.file.data.length) return;
    const grown = new Uint8Array(Math.max(end, this.file.data.length * 2, 64));
    grown.set(this.file.data.subarray(0, this.file.size));
    this.file.data = grown;
  }
  write(bytes) {
    if (this.append) this.pos = this.file.size;
    this.reserve(this.pos + bytes.length);
    this.file.data.set(bytes, this.pos);
    this.pos += bytes.length;
    this.file.size = Math.max(this.file.size, this.pos);
  }
  read(length) {
    const end = Math.min(this.file.size, this.pos + length);
    const bytes = this.file.data.subarray(this.pos, end);
    this.pos = end;
    return bytes;
  }
}

/** Text sinks for stdout and stderr: decoded incrementally, so a UTF-8 sequence split across writes survives. */
class TextSink {
  constructor(onText) {
    this.decoder = new TextDecoder();
    this.text = '';
    this.onText = onText;
  }
  write(bytes) {
    const text = this.decoder.decode(bytes, { stream: true });
    this.text += text;
    this.onText?.(text);
  }
}

export class Wasi {
  /**
   * @param {{args: string[], env: Object<string,string>, fs: MemoryFileSystem,
   *          onStdout?: (text) => void, onStderr?: (text) => void}} options
   */
  constructor({ args, env = {}, fs = new MemoryFileSystem(), onStdout, onStderr }) {
    this.args = args;
    this.env = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    this.fs = fs;
    this.stdout = new TextSink(onStdout);
    this.stderr = new TextSink(onStderr);
    this.fds = new Map();
    this.nextFd = PREOPEN_FD + 1;
    this.memory = null;
  }

  /** Call after instantiation: the shim reads and writes through the instance's memory. */
  attach(instance) {
    this.memory = instance.exports.memory;
  }

  get view() {
    return new DataView(this.memory.buffer);
  }

  bytes(ptr, length) {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  string(ptr, length) {
    return new TextDecoder().decode(this.bytes(ptr, length));
  }

  /** The names of the WASI functions implemented here. */
  static implemented() {
    return Object.getOwnPropertyNames(Wasi.prototype).filter((n) => n.startsWith('wasi_')).map((n) => n.slice(5));
  }

  /** The wasi_snapshot_preview1 import object; a function not implemented answers ENOSYS. */
  imports() {
    const calls = {};
    for (const name of Wasi.implemented()) calls[name] = this[`wasi_${name}`].bind(this);
    return new Proxy(calls, { get: (target, key) => target[key] ?? (() => ERRNO.NOSYS) });
  }

  // ------------------------------------------------------------ arguments and environment

  writeStrings(strings, pointersPtr, bufferPtr) {
    const encoder = new TextEncoder();
    let at = bufferPtr;
    strings.forEach((s, i) => {
      const bytes = encoder.encode(s + '\0');
      this.view.setUint32(pointersPtr + 4 * i, at, true);
      this.bytes(at, bytes.length).set(bytes);
      at += bytes.length;
    });
    return ERRNO.SUCCESS;
  }

  writeSizes(strings, countPtr, sizePtr) {
    const encoder = new TextEncoder();
    this.view.setUint32(countPtr, strings.length, true);
    this.view.setUint32(sizePtr, strings.reduce((n, s) => n + encoder.encode(s).length + 1, 0), true);
    return ERRNO.SUCCESS;
  }

  wasi_args_sizes_get(countPtr, sizePtr) { return this.writeSizes(this.args, countPtr, sizePtr); }
  wasi_args_get(argvPtr, bufPtr) { return this.writeStrings(this.args, argvPtr, bufPtr); }
  wasi_environ_sizes_get(countPtr, sizePtr) { return this.writeSizes(this.env, countPtr, sizePtr); }
  wasi_environ_get(envPtr, bufPtr) { return this.writeStrings(this.env, envPtr, bufPtr); }

  // ------------------------------------------------------------ clocks, random, exit

  // Monotonic time is performance.now(), which the browser coarsens (5 us cross-origin isolated).
  wasi_clock_time_get(id, precision, outPtr) {
    const ms = id === 0 ? performance.timeOrigin + performance.now() : performance.now();
    this.view.setBigUint64(outPtr, BigInt(Math.round(ms * 1e6)), true);
    return ERRNO.SUCCESS;
  }

  wasi_clock_res_get(id, outPtr) {
    this.view.setBigUint64(outPtr, 1000n, true);
    return ERRNO.SUCCESS;
  }

  // getRandomValues takes at most 65536 bytes at a time.
  wasi_random_get(ptr, length) {
    for (let at = 0; at < length; at += 65536) crypto.getRandomValues(this.bytes(ptr + at, Math.min(65536, length - at)));
    return ERRNO.SUCCESS;
  }

  wasi_proc_exit(code) {
    throw new WasiExit(code);
  }

  wasi_sched_yield() { return ERRNO.SUCCESS; }

  // ------------------------------------------------------------ descriptors

  iovecs(iovs, count) {
    return Array.from({ length: count }, (_, i) => ({
      ptr: this.view.getUint32(iovs + 8 * i, true),
      length: this.view.getUint32(iovs + 8 * i + 4, true),
    }));
  }

  wasi_fd_write(fd, iovs, count, writtenPtr) {
    const sink = fd === 1 ? this.stdout : fd === 2 ? this.stderr : this.fds.get(fd);
    if (!sink) return ERRNO.BADF;
    if (sink.dir) return ERRNO.ISDIR;
    if (sink instanceof OpenFile && !sink.writable) return ERRNO.BADF;
    let total = 0;
    for (const { ptr, length } of this.iovecs(iovs, count)) {
      sink.write(this.bytes(ptr, length).slice());
      total += length;
    }
    if (sink instanceof OpenFile) this.fs.written.add(sink.path);
    this.view.setUint32(writtenPtr, total, true);
    return ERRNO.SUCCESS;
  }

  wasi_fd_read(fd, iovs, count, readPtr) {
    if (fd === 0) {
      this.view.setUint32(readPtr, 0, true);
      return ERRNO.SUCCESS;
    }
    const file = this.fds.get(fd);
    if (!file) return ERRNO.BADF;
    if (file.dir) return ERRNO.ISDIR;
    let total = 0;
    for (const { ptr, length } of this.iovecs(iovs, count)) {
      const bytes = file.read(length);
      this.bytes(ptr, bytes.length).set(bytes);
      total += bytes.length;
      if (bytes.length < length) break;
    }
    this.view.setUint32(readPtr, total, true);
    return ERRNO.SUCCESS;
  }

  wasi_fd_seek(fd, offset, whence, outPtr) {
    const file = this.fds.get(fd);
    if (!file) return fd <= 2 ? ERRNO.INVAL : ERRNO.BADF;
    if (file.dir) return ERRNO.ISDIR;
    const base = whence === 0 ? 0 : whence === 1 ? file.pos : file.file.size;
    const pos = base + Number(offset);
    if (pos < 0) return ERRNO.INVAL;
    file.pos = pos;
    this.view.setBigUint64(outPtr, BigInt(pos), true);
    return ERRNO.SUCCESS;
  }

  wasi_fd_tell(fd, outPtr) {
    return this.wasi_fd_seek(fd, 0n, 1, outPtr);
  }

  wasi_fd_close(fd) {
    if (!this.fds.delete(fd)) return ERRNO.BADF;
    return ERRNO.SUCCESS;
  }

  wasi_fd_sync() { return ERRNO.SUCCESS; }
  wasi_fd_fdstat_set_flags() { return ERRNO.SUCCESS; }

  // stdio are character devices without seek rights, so wasi-libc line-buffers stdout as on a tty.
  wasi_fd_fdstat_get(fd, outPtr) {
    let type, rights = ALL_RIGHTS;
    if (fd <= 2) {
      type = FILETYPE.CHARACTER_DEVICE;
      rights = RIGHT_FD_WRITE | 2n; // fd_write, fd_read
    } else if (fd === PREOPEN_FD) type = FILETYPE.DIRECTORY;
    else if (this.fds.has(fd)) type = this.fds.get(fd).dir ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE;
    else return ERRNO.BADF;
    const v = this.view;
    v.setUint8(outPtr, type);
    v.setUint16(outPtr + 2, 0, true);
    v.setBigUint64(outPtr + 8, rights, true);
    v.setBigUint64(outPtr + 16, rights, true);
    return ERRNO.SUCCESS;
  }

  writeFilestat(outPtr, type, size) {
    const v = this.view;
    for (let i = 0; i < 64; i += 8) v.setBigUint64(outPtr + i, 0n, true);
    v.setUint8(outPtr + 16, type);
    v.setBigUint64(outPtr + 24, 1n, true);
    v.setBigUint64(outPtr + 32, BigInt(size), true);
    return ERRNO.SUCCESS;
  }

  wasi_fd_filestat_get(fd, outPtr) {
    if (fd <= 2) return this.writeFilestat(outPtr, FILETYPE.CHARACTER_DEVICE, 0);
    if (fd === PREOPEN_FD) return this.writeFilestat(outPtr, FILETYPE.DIRECTORY, 0);
    const file = this.fds.get(fd);
    if (!file) return ERRNO.BADF;
    return file.dir ? this.writeFilestat(outPtr, FILETYPE.DIRECTORY, 0) : this.writeFilestat(outPtr, FILETYPE.REGULAR_FILE, file.file.size);
  }

  wasi_fd_prestat_get(fd, outPtr) {
    if (fd !== PREOPEN_FD) return ERRNO.BADF;
    this.view.setUint8(outPtr, 0); // a directory
    this.view.setUint32(outPtr + 4, 1, true);
    return ERRNO.SUCCESS;
  }

  wasi_fd_prestat_dir_name(fd, ptr, length) {
    if (fd !== PREOPEN_FD) return ERRNO.BADF;
    if (length >= 1) this.bytes(ptr, 1)[0] = 0x2f; // "/"
    return ERRNO.SUCCESS;
  }

  // ------------------------------------------------------------ paths

  resolve(dirFd, ptr, length) {
    if (dirFd !== PREOPEN_FD) return null;
    return normalizePath('/' + this.string(ptr, length));
  }

  wasi_path_filestat_get(dirFd, flags, ptr, length, outPtr) {
    const path = this.resolve(dirFd, ptr, length);
    if (path === null) return ERRNO.BADF;
    if (this.fs.isDir(path)) return this.writeFilestat(outPtr, FILETYPE.DIRECTORY, 0);
    const file = this.fs.files.get(path);
    return file ? this.writeFilestat(outPtr, FILETYPE.REGULAR_FILE, file.size) : ERRNO.NOENT;
  }

  openChecks(path, oflags) {
    const exists = this.fs.files.has(path);
    if (this.fs.isDir(path)) return (oflags & OFLAGS.CREAT) ? ERRNO.ISDIR : ERRNO.SUCCESS;
    if (oflags & OFLAGS.DIRECTORY) return exists ? ERRNO.NOTDIR : ERRNO.NOENT;
    if (exists && (oflags & OFLAGS.EXCL)) return ERRNO.EXIST;
    if (!exists && !(oflags & OFLAGS.CREAT)) return ERRNO.NOENT;
    if (!exists && !this.fs.isDir(parentOf(path))) return ERRNO.NOENT;
    return ERRNO.SUCCESS;
  }

  wasi_path_open(dirFd, dirflags, ptr, length, oflags, rightsBase, rightsInheriting, fdflags, fdPtr) {
    const path = this.resolve(dirFd, ptr, length);
    if (path === null) return ERRNO.BADF;
    const check = this.openChecks(path, oflags);
    if (check !== ERRNO.SUCCESS) return check;
    let file = null;
    if (!this.fs.isDir(path)) {
      if (!this.fs.files.has(path) || (oflags & OFLAGS.TRUNC)) this.fs.writeFile(path, new Uint8Array(0));
      file = this.fs.files.get(path);
    }
    const fd = this.nextFd++;
    const writable = (BigInt(rightsBase) & RIGHT_FD_WRITE) !== 0n;
    this.fds.set(fd, file ? new OpenFile(path, file, writable, (fdflags & FDFLAGS_APPEND) !== 0) : { path, dir: true });
    if (file && (oflags & (OFLAGS.CREAT | OFLAGS.TRUNC))) this.fs.written.add(path);
    this.view.setUint32(fdPtr, fd, true);
    return ERRNO.SUCCESS;
  }

  wasi_path_rename(oldFd, oldPtr, oldLength, newFd, newPtr, newLength) {
    const from = this.resolve(oldFd, oldPtr, oldLength), to = this.resolve(newFd, newPtr, newLength);
    if (from === null || to === null) return ERRNO.BADF;
    const file = this.fs.files.get(from);
    if (!file) return ERRNO.NOENT;
    this.fs.files.delete(from);
    this.fs.written.delete(from);
    this.fs.files.set(to, file);
    this.fs.written.add(to);
    return ERRNO.SUCCESS;
  }

  wasi_path_unlink_file(dirFd, ptr, length) {
    const path = this.resolve(dirFd, ptr, length);
    if (path === null) return ERRNO.BADF;
    if (!this.fs.files.delete(path)) return ERRNO.NOENT;
    this.fs.written.delete(path);
    return ERRNO.SUCCESS;
  }

  wasi_path_create_directory(dirFd, ptr, length) {
    const path = this.resolve(dirFd, ptr, length);
    if (path === null) return ERRNO.BADF;
    if (this.fs.isDir(path) || this.fs.files.has(path)) return ERRNO.EXIST;
    this.fs.dirs.add(path);
    return ERRNO.SUCCESS;
  }

  wasi_path_remove_directory(dirFd, ptr, length) {
    const path = this.resolve(dirFd, ptr, length);
    if (path === null) return ERRNO.BADF;
    if (!this.fs.isDir(path)) return ERRNO.NOENT;
    for (const f of this.fs.files.keys()) if (f.startsWith(path + '/')) return ERRNO.NOTEMPTY;
    this.fs.dirs.delete(path);
    return ERRNO.SUCCESS;
  }
}

/**
 * Runs a WASI program's entry (a command's _start unless `start` is given, e.g. a reactor's
 * main export through its JSPI-promising wrapper) and resolves to its exit code; any other
 * exception (a trap, an error in an import) rejects.
 */
export async function runCommand(instance, start = instance.exports._start) {
  try {
    await start();
    return 0;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    throw e;
  }
}
