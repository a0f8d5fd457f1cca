// Static file server for the wasm host page: serves one directory (bench/) on 127.0.0.1 at a
// random port, GET only, never outside that directory. Cross-origin isolation headers make
// performance.now() 5 us-grained instead of 100 us, which the wall-clock timings need.

import http from 'node:http';
import path from 'node:path';
import { readFile } from 'node:fs/promises';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.compileStreaming insists on it
};

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
};

/** The file under `root` that `url` names, or null for anything outside it. */
export function fileFor(root, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + path.posix.normalize(pathname));
  return file.startsWith(base + path.sep) ? file : null;
}

async function answer(root, request, response) {
  const file = request.method === 'GET' ? fileFor(root, request.url) : null;
  try {
    if (!file) throw new Error('outside the served directory');
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', ...HEADERS });
    response.end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain', ...HEADERS });
    response.end('not found');
  }
}

/** Serves `root`; resolves to {url, close()}. */
export async function serveDirectory(root) {
  const server = http.createServer((request, response) => answer(root, request, response));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
