#!/usr/bin/env node
// Which WebGPU adapter does Chromium give a page, under which flags? For each configuration the
// probe starts the browser as every browser row does (chromium_flags.mjs, with that
// configuration's environment), asks navigator.gpu for adapters, runs one small compute kernel
// on the adapter the rows ask for (high-performance) and checks its output, and keeps what chrome://gpu says about WebGPU,
// Vulkan and GL. A configuration that fails records the failure and the browser's last log lines.
//   node bench/web/probe_chromium.mjs [--config NAME]... [--json FILE] [--env-out FILE] [--list]
// Exit status 0 when some configuration gave a GPU (non-fallback) adapter whose kernel verified.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serve } from './serve.mjs';
import { baseFlags, webgpuFlags, launchOptions } from './chromium_flags.mjs';
import { withTimeout } from './jobs.mjs';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(WEB_DIR, 'package.json'))('playwright-core');

// Each configuration is the environment chromium_flags.mjs reads; "x11" ones need DISPLAY. In
// order of preference: the first that gives a page a GPU adapter is the one --env-out writes.
// Without a display Chromium's own Vulkan needs VK_EXT_headless_surface, which not every driver
// has (--disable-vulkan-surface drops it); with a software GL compositor Chromium offers WebGPU
// only its fallback adapter, hence the GPU blocklist override and ANGLE on Vulkan.
const GPU = '--ignore-gpu-blocklist';
export const CONFIGS = {
  'headless': {},
  'headless-gpu': { WGSLRUN_CHROMIUM_FLAGS: GPU },
  'headless-gpu-no-vulkan-surface': { WGSLRUN_CHROMIUM_FLAGS: `${GPU} --disable-vulkan-surface` },
  'headless-angle-vulkan': { WGSLRUN_CHROMIUM_FLAGS: `${GPU} --use-angle=vulkan --disable-vulkan-surface` },
  'headless-angle-gl-egl': { WGSLRUN_CHROMIUM_FLAGS: `${GPU} --use-angle=gl-egl` },
  'x11-gpu': { WGSLRUN_CHROMIUM_DISPLAY: 'x11', WGSLRUN_CHROMIUM_FLAGS: GPU },
  'x11-angle-vulkan': { WGSLRUN_CHROMIUM_DISPLAY: 'x11', WGSLRUN_CHROMIUM_FLAGS: `${GPU} --use-angle=vulkan` },
};

const LAUNCH_TIMEOUT_MS = 30e3;
const PAGE_TIMEOUT_MS = 60e3; // 30 s was once too short for the x11 configuration on a busy 2-core machine
const LOG_LINES_KEPT = 400;
const USAGE = `usage: node bench/web/probe_chromium.mjs [--config NAME]... [--json FILE] [--env-out FILE] [--list]
Reports the WebGPU adapter Chromium gives a page under each configuration (default: all; the
x11 ones only when DISPLAY is set) and whether a compute kernel on it verifies.
  --config NAME    probe only this configuration (repeatable; --list shows them)
  --json FILE      write the reports there (default: standard output)
  --env-out FILE   write shell exports of the first configuration that gave a GPU adapter
Exit status: 0 when one did, 1 when none did, 2 on bad arguments.
`;

// Runs in the page: adapters for each request option, then a kernel on the high-performance one.
async function probePage() {
  if (!navigator.gpu) return { error: `navigator.gpu is missing (secure context: ${self.isSecureContext})` };
  const describe = (a) => a && {
    vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device,
    description: a.info.description, is_fallback: a.info.isFallbackAdapter ?? null,
    features: [...a.features].sort(),
  };
  // The rows' own request comes first: a fresh page's first answer can differ from later ones.
  const rowsRequest = { powerPreference: 'high-performance' };
  const adapters = { first_request: describe(await navigator.gpu.requestAdapter(rowsRequest)) };
  for (const [name, options] of Object.entries({
    default: {}, high_performance: { powerPreference: 'high-performance' },
    low_power: { powerPreference: 'low-power' }, fallback: { forceFallbackAdapter: true },
  })) {
    try {
      adapters[name] = describe(await navigator.gpu.requestAdapter(options));
    } catch (e) {
      adapters[name] = { error: String(e) };
    }
  }
  const adapter = await navigator.gpu.requestAdapter(rowsRequest);
  if (!adapter) return { adapters, compute: { ok: false, error: 'requestAdapter() returned null' } };
  const { features, ...computeAdapter } = describe(adapter);
  const device = await adapter.requestDevice();
  const n = 1 << 20;
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read_write> out: array<u32>;
      @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&out)) { out[id.x] = id.x * 2654435761u + 12345u; } }`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const storage = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(n / 256);
  pass.end();
  encoder.copyBufferToBuffer(storage, 0, staging, 0, n * 4);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const got = new Uint32Array(staging.getMappedRange());
  let wrong = 0;
  for (let i = 0; i < n; i++) if (got[i] !== ((Math.imul(i, 2654435761) + 12345) >>> 0)) wrong++;
  staging.unmap();
  device.destroy();
  return { adapters, compute: { ok: wrong === 0, elements: n, wrong, adapter: computeAdapter } };
}

// chrome://gpu keeps its text in shadow roots; the lines that say which GPU and API serve what.
async function gpuPageLines(context) {
  const page = await context.newPage();
  try {
    await page.goto('chrome://gpu', { timeout: PAGE_TIMEOUT_MS });
    await page.waitForTimeout(2000);
    // Leaf texts in document order, through shadow roots; a key's value is the next leaf.
    const leaves = await page.evaluate(() => {
      const out = [];
      const visit = (node) => {
        if (node.shadowRoot) visit(node.shadowRoot);
        const children = [...node.children].filter((c) => c.tagName !== 'STYLE' && c.tagName !== 'SCRIPT');
        if (!children.length && !node.shadowRoot) out.push((node.textContent ?? '').trim());
        children.forEach(visit);
      };
      visit(document.documentElement);
      return out.filter(Boolean);
    });
    const keep = /webgpu|vulkan|gl_renderer|gl_vendor|gl_implementation|angle|swiftshader|nvidia|gpu0|active|display type|ozone|compositing|skia backend/i;
    const lines = leaves.flatMap((leaf, i) => (keep.test(leaf) && leaf.length < 300 ? [`${leaf} ${leaves[i + 1] ?? ''}`.slice(0, 300)] : []));
    return [...new Set(lines)].slice(0, 80);
  } catch (e) {
    return [`chrome://gpu failed: ${e.message.split('\n')[0]}`];
  } finally {
    await page.close().catch(() => {});
  }
}

export async function probe(name, overrides) {
  const env = { ...process.env, ...overrides };
  const log = [];
  const record = (line) => { log.push(line); if (log.length > LOG_LINES_KEPT) log.shift(); };
  const logger = { isEnabled: (n) => n === 'browser', log: (_n, _s, message) => record(String(message)) };
  const report = { config: name, env: overrides };
  let browser;
  const server = await serve({ '/web/': WEB_DIR, '/': path.resolve(WEB_DIR, '..') });
  try {
    const args = [...baseFlags(env), ...webgpuFlags(env), '--enable-logging=stderr', '--v=0'];
    report.flags = args;
    browser = await chromium.launch({ ...launchOptions(args, env), env, logger, timeout: LAUNCH_TIMEOUT_MS });
    report.chromium = browser.version();
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('console', (m) => record(`[console] ${m.text()}`));
    await page.goto(`${server.url}/web/host/page.html`);
    Object.assign(report, await withTimeout(page.evaluate(probePage), PAGE_TIMEOUT_MS, `probe page: no answer in ${PAGE_TIMEOUT_MS / 1e3} s`));
    report.gpu_page = await gpuPageLines(context);
  } catch (e) {
    report.error = e.message.split('\n')[0];
  } finally {
    await browser?.close().catch(() => {});
    await server.close();
  }
  report.browser_log = log.filter((l) => /vulkan|webgpu|dawn|gpu|angle|egl|glx|x11|ozone|error|fail/i.test(l)).slice(-80);
  return report;
}

/** The kernel verified on the adapter the rows ask for (high-performance), and it is no fallback. */
export function onGpu(report) {
  return Boolean(report.compute?.ok && report.compute.adapter && !report.compute.adapter.is_fallback);
}

function shellExports(env) {
  const quote = (v) => `'${String(v).replaceAll("'", "'\\''")}'`;
  return ['WGSLRUN_CHROMIUM_DISPLAY', 'WGSLRUN_CHROMIUM_FLAGS']
    .map((k) => `export ${k}=${quote(env[k] ?? '')}\n`).join('');
}

function summary(r) {
  if (r.error) return `${r.config}: FAILED: ${r.error}`;
  const a = r.compute?.adapter;
  const name = a ? `${a.vendor} ${a.architecture} ${a.device} ${a.description}`.trim() : 'no adapter';
  const compute = r.compute?.ok ? 'compute verified' : `compute FAILED: ${r.compute?.error ?? `${r.compute?.wrong} wrong`}`;
  return `${r.config}: ${name}${a?.is_fallback ? ' (fallback)' : ''}; ${compute}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', multiple: true }, json: { type: 'string' }, 'env-out': { type: 'string' },
      list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    for (const [name, env] of Object.entries(CONFIGS)) process.stdout.write(`${name}\t${JSON.stringify(env)}\n`);
    return 0;
  }
  const names = values.config ?? Object.keys(CONFIGS).filter((n) => !n.startsWith('x11') || process.env.DISPLAY);
  const unknown = names.filter((n) => !(n in CONFIGS));
  if (unknown.length) {
    process.stderr.write(`probe_chromium: unknown configuration ${unknown.join(', ')} (--list shows them)\n`);
    return 2;
  }
  const reports = [];
  for (const name of names) {
    const r = await probe(name, CONFIGS[name]);
    reports.push(r);
    process.stderr.write(`${summary(r)}\n`);
  }
  const out = JSON.stringify({ date: new Date().toISOString(), reports }, null, 2) + '\n';
  if (values.json) writeFileSync(values.json, out);
  else process.stdout.write(out);
  const best = reports.find(onGpu);
  if (values['env-out']) {
    writeFileSync(values['env-out'], best ? shellExports(best.env) : '');
    process.stderr.write(best ? `probe_chromium: ${best.config} gives a GPU adapter; wrote ${values['env-out']}\n`
      : 'probe_chromium: no configuration gave a GPU adapter\n');
  }
  return best ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { process.stderr.write(`probe_chromium: ${e.stack ?? e}\n`); process.exit(2); });
