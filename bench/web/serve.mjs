// The one static file server of the browser rows (bench/web's Chromium host, WebGL2, and the
// wasm and Rust-wasm pages): a page needs http(s) to be a secure context (navigator.gpu exists
// only there) and fetches suite.json, kernels/ and its modules at run time.
// Binds 127.0.0.1 on a random port; serves GET only, never outside its roots (resolvePath).

import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.compileStreaming insists on it
};

// Cross-origin isolation lifts the browser's coarsening of performance.now() (100 µs → 5 µs),
// which the wall-clock times need.
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
};

/**
 * Maps a URL path to a file under one of `mounts` ({'/web/': dir, '/': dir}), or null. The path
 * is decoded once and normalised as an absolute path before it is joined to the root, so `..`,
 * encoded `%2e%2e` and encoded slashes cannot climb out; what remains must still lie under the
 * root (a sibling directory that merely starts with the root's name does not).
 */
export function resolvePath(mounts, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const prefix = Object.keys(mounts).sort((a, b) => b.length - a.length).find((p) => decoded.startsWith(p));
  if (prefix === undefined) return null;
  const root = path.resolve(mounts[prefix]);
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded.slice(prefix.length)));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/** Starts the server; resolves to {url, close()}. */
export async function serve(mounts) {
  const server = http.createServer(async (req, res) => {
    const file = req.method === 'GET' ? resolvePath(mounts, req.url) : null;
    if (!file) return reply(res, 404, 'not found');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...ISOLATION });
      res.end(body);
    } catch {
      reply(res, 404, 'not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function reply(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...ISOLATION });
  res.end(text);
}
