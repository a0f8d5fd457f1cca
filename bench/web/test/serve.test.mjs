// The one static server of the browser rows (serve.mjs): files under its roots come back, and no
// spelling of a path outside them does, neither in resolvePath nor over a real socket.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePath, serve } from '../serve.mjs';

test('resolvePath keeps every spelling of .. inside the root', () => {
  const mounts = { '/web/': '/srv/web', '/': '/srv/bench' };
  assert.equal(resolvePath(mounts, '/suite.json'), '/srv/bench/suite.json');
  assert.equal(resolvePath(mounts, '/kernels/copy.wgsl?v=1'), '/srv/bench/kernels/copy.wgsl');
  for (const url of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/%2E%2E/%2e%2e/etc/passwd', '/..%2fetc/passwd',
    '/kernels/..%2F..%2Fetc/passwd', '/web/../../etc/passwd', '/web/%2e%2e/%2e%2e/etc/passwd']) {
    const file = resolvePath(mounts, url);
    assert.ok(file === null || file.startsWith('/srv/bench/') || file.startsWith('/srv/web/'), `${url} -> ${file}`);
    assert.ok(!file?.startsWith('/etc'), `${url} escapes to ${file}`);
  }
  // Decoded once: a double-encoded dot-dot is a file literally named %2e%2e, inside the root.
  assert.equal(resolvePath(mounts, '/%252e%252e/x'), '/srv/bench/%2e%2e/x');
  assert.equal(resolvePath(mounts, '/%E0%A4%A'), null, 'malformed escapes are refused');
  assert.equal(resolvePath({ '/': '/srv/bench' }, '/../bench2/secret'), '/srv/bench/bench2/secret');
});

/** Sends one raw request line (no client-side normalisation) and returns the status code. */
function rawStatus(url, target) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
    socket.on('error', reject);
  });
}

test('the server answers inside its root and 404s every way out', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wgslrun-serve-'));
  const root = path.join(dir, 'bench');
  mkdirSync(path.join(root, 'kernels'), { recursive: true });
  writeFileSync(path.join(root, 'kernels', 'a.wgsl'), '@compute @workgroup_size(1) fn main() {}');
  writeFileSync(path.join(root, 'm.wasm'), Uint8Array.of(0, 97, 115, 109));
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  mkdirSync(path.join(dir, 'bench2'));
  writeFileSync(path.join(dir, 'bench2', 'secret.txt'), 'sibling');
  const server = await serve({ '/': root });
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ok = await fetch(`${server.url}/kernels/a.wgsl`);
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /workgroup_size/);
  assert.equal(ok.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.equal((await fetch(`${server.url}/m.wasm`)).headers.get('content-type'), 'application/wasm');
  for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/kernels/../../secret.txt',
    '/..%2f..%2fsecret.txt', '/../bench2/secret.txt', '/%2e%2e/bench2/secret.txt', '/no-such-file', '/']) {
    assert.equal(await rawStatus(server.url, target), 404, target);
  }
  assert.equal((await fetch(`${server.url}/kernels/a.wgsl`, { method: 'POST' })).status, 404, 'GET only');
});
