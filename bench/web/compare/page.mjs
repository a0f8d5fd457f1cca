// The page side of `wgslrun compare`'s chromium method: fetches the inputs the CLI wrote (the
// job directory is served at /job/), runs execute.mjs on navigator.gpu and hands the outputs
// back in base64. Errors come back as {error} or {unavailable}, not as exceptions, so the
// runner can tell a missing adapter from a failing kernel.

import { runCompareJob } from './execute.mjs';
import { parseNpy } from './npy.mjs';

async function fetchInput(binding) {
  const response = await fetch(binding.url);
  if (!response.ok) throw new Error(`${binding.url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return binding.raw ? bytes : parseNpy(bytes, binding.url).data;
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function run(job) {
  if (!navigator.gpu) return { unavailable: `navigator.gpu is missing (secure context: ${self.isSecureContext})` };
  for (const b of job.bindings) b.data = await fetchInput(b);
  try {
    const result = await runCompareJob(navigator.gpu, job);
    result.outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, toBase64(v)]));
    return result;
  } catch (e) {
    const message = String(e?.message ?? e);
    return /requestAdapter returned null/.test(message) ? { unavailable: message } : { error: message };
  }
}

window.wgslrunCompare = { run };
