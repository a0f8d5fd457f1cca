// Browser side of the Chromium host: the same suite.mjs, fed by fetch() from the local server
// (bench/ is mounted at "/", bench/web/ at "/web/").

import { createRunner } from '../suite.mjs';

let runner = null;

async function loadText(rel) {
  const res = await fetch(`/${rel}`);
  if (!res.ok) throw new Error(`GET /${rel}: ${res.status} ${res.statusText}`);
  return res.text();
}

function log(line) {
  console.log(`[page] ${line}`);
  document.getElementById('log').textContent += line + '\n';
}

window.wgslrunPage = {
  /** Opens the device; returns what the result header needs from the browser. */
  async init({ size, seed, host = null }) {
    if (!navigator.gpu) throw new Error(`navigator.gpu is missing (secure context: ${self.isSecureContext})`);
    const suite = JSON.parse(await loadText('suite.json'));
    runner = await createRunner({ suite, size, loadText, gpu: navigator.gpu, seed, host, log });
    return {
      adapter_info: runner.adapterInfo,
      timestamps: runner.timestamps,
      cross_origin_isolated: self.crossOriginIsolated,
      user_agent: navigator.userAgent,
    };
  },
  run: (key) => runner.run(key),
  close: () => runner?.close(),
};
window.dispatchEvent(new Event('wgslrun-ready'));
