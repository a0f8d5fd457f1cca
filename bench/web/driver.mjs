// Parent side: runs one host (node, deno, chromium) as child processes and assembles its
// `wgslrun-result/1`. Each case runs inside a child; when a child dies mid-case (an abort
// inside dawn.node, a crashed browser) or overruns the per-case timeout, that case is recorded
// as failed with "process aborted: ..." and the remaining cases continue in a fresh child.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listUnits, failedEntry, assembleResult, describeEntry } from './suite.mjs';
import { decodeEvent, encodeJob } from './host/protocol.mjs';

export const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(WEB_DIR, '..');
export const DENO = path.join(WEB_DIR, 'node_modules', '@deno', 'linux-x64-glibc', 'deno');

/** How each host is started, and its method name in the result format. */
export const HOSTS = {
  node: {
    method: 'node-js',
    command: (job) => [process.execPath, [path.join(WEB_DIR, 'host', 'worker.mjs'), encodeJob(job)]],
  },
  deno: {
    method: 'deno-js',
    command: (job) => [DENO, [
      'run', '--no-config', '--no-lock', '--no-npm', '--no-remote',
      `--allow-read=${job.benchDir},${WEB_DIR}`, '--allow-env',
      path.join(WEB_DIR, 'host', 'worker.mjs'), encodeJob(job),
    ]],
    // No update check over the network; Vulkan pinned so the header can name the backend.
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DENO_WEBGPU_BACKEND: process.env.DENO_WEBGPU_BACKEND || 'vulkan' },
  },
  chromium: {
    method: 'browser-js',
    command: (job) => [process.execPath, [path.join(WEB_DIR, 'host', 'chromium.mjs'), encodeJob(job)]],
  },
};

export function machineInfo() {
  return { hostname: os.hostname(), cpu: os.cpus()[0]?.model ?? 'unknown', os: `${os.type()} ${os.release()}` };
}

/** wgslrun's own version, from the top-level CMake project (read only). */
export function wgslrunVersion(benchDir = BENCH_DIR) {
  try {
    const cmake = readFileSync(path.join(benchDir, '..', 'CMakeLists.txt'), 'utf8');
    return /project\(\s*wgslrun\s+VERSION\s+([\d.]+)/.exec(cmake)?.[1] ?? null;
  } catch {
    return null;
  }
}

const TAIL_LINES = 12;
const SHUTDOWN_MS = 30e3;

/** The last lines a child wrote to stderr during the current case, for an abort message. */
function tailOf(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-TAIL_LINES).join(' | ').slice(-2000);
}

function describeExit(code, signal, timedOutAfterMs) {
  if (timedOutAfterMs) return `timed out after ${timedOutAfterMs / 1000} s (killed)`;
  if (signal) return `killed by ${signal}`;
  return `exit code ${code}`;
}

/**
 * Runs `keys` in one child process. Resolves with what it learned: the ready event, results by
 * key, and if it died early, the exit description and stderr of the case it died in.
 */
function runChild(host, job, { timeoutMs, verbose, onResult }) {
  const [command, args] = host.command(job);
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...(host.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const got = { ready: null, results: new Map(), done: false, stderr: '', exit: null };
    let timer = null, timedOut = false, pending = '';
    const arm = (ms = timeoutMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => { timedOut = ms; child.kill('SIGKILL'); }, ms);
    };
    const onEvent = (ev) => {
      if (ev.type === 'ready') got.ready = ev;
      if (ev.type === 'start') { got.stderr = ''; arm(); }
      if (ev.type === 'result') {
        got.results.set(ev.key, ev.entry);
        onResult(ev.key, ev.entry);
        // After the last result only shutdown is left; a host hanging there must not hold
        // the run for a whole case timeout.
        if (got.results.size === job.keys.length) arm(Math.min(timeoutMs, SHUTDOWN_MS));
      }
      if (ev.type === 'done') got.done = true;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const ev = decodeEvent(line);
        if (ev) onEvent(ev);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      got.stderr = (got.stderr + chunk).slice(-20000);
      if (verbose) process.stderr.write(chunk);
    });
    arm(); // start-up (device creation, browser launch) gets the same allowance as a case
    child.on('error', (e) => { got.stderr += `\nspawn failed: ${e.message}`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = decodeEvent(pending);
      if (last) onEvent(last);
      got.exit = { code, signal, text: describeExit(code, signal, timedOut) };
      resolve(got);
    });
  });
}

/**
 * Runs the suite on one host. Returns the `wgslrun-result/1` object; progress goes to
 * `onProgress(line)` once per case.
 */
export async function runHost(name, opts) {
  const host = HOSTS[name];
  if (!host) throw new Error(`unknown host ${name} (node, deno, chromium)`);
  const { suite, size, filter = null, seed, benchDir = BENCH_DIR, verbose = false, command = null, round = null } = opts;
  const timeoutMs = opts.timeoutMs ?? (size === 'large' ? 1800e3 : 300e3);
  const onProgress = opts.onProgress ?? (() => {});
  const units = listUnits(suite, size, filter, name);
  const byKey = new Map(units.map((u) => [u.key, u]));
  const results = new Map();
  let ready = null;
  let since = Date.now();
  const record = (key, entry) => {
    results.set(key, entry);
    const seconds = ((Date.now() - since) / 1e3).toFixed(1);
    since = Date.now();
    onProgress(`[${name}] ${key}: ${describeEntry(entry)} [${seconds} s]`);
  };
  let remaining = units.map((u) => u.key);
  while (remaining.length) {
    const job = { benchDir, size, seed, host: name, keys: remaining };
    const got = await runChild(host, job, { timeoutMs, verbose, onResult: record });
    ready ??= got.ready;
    remaining = remaining.filter((k) => !results.has(k));
    if (!remaining.length || got.done) break;
    // The child died: the first unfinished unit is the one it died in (units run in order).
    const reason = `${got.exit.text}${got.stderr ? `; stderr: ${tailOf(got.stderr)}` : ''}`;
    if (!got.ready) {
      // It never reached a device: no case can run on this host, so say so for each.
      for (const key of remaining) record(key, failedEntry(byKey.get(key), `host failed to start: ${reason}`));
      break;
    }
    record(remaining[0], failedEntry(byKey.get(remaining[0]), `process aborted: ${reason}`));
    remaining = remaining.slice(1);
  }
  return assembleResult({
    meta: {
      method: host.method,
      implementation: ready?.implementation ?? name,
      backend: ready?.backend ?? null,
      machine: machineInfo(),
      versions: { wgslrun: wgslrunVersion(benchDir), ...(ready?.versions ?? {}) },
      command,
      round,
      extra: ready?.extra,
    },
    size,
    seed,
    adapterInfo: ready?.adapter_info ?? null,
    timestamps: ready?.timestamps ?? null,
    results: units.map((u) => results.get(u.key)),
  });
}
