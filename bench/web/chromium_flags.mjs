// The one definition of how every browser row starts Chromium (bench/web, bench/wasm,
// bench/rust-wasm, bench/webgl2): Debian's /usr/bin/chromium, never a downloaded browser.
//
// Environment (all optional; each row records the flags it ran with as `host_flags`):
//   WGSLRUN_CHROMIUM          the browser binary (default /usr/bin/chromium)
//   WGSLRUN_CHROMIUM_ADAPTER  --use-webgpu-adapter=VALUE (e.g. swiftshader)
//   WGSLRUN_CHROMIUM_FLAGS    more flags, separated by spaces (e.g. --disable-vulkan-surface)
//   WGSLRUN_CHROMIUM_DISPLAY  "x11": a windowed browser on $DISPLAY (an X server such as Xvfb),
//                             with --ozone-platform=x11, instead of headless

export const CHROMIUM = process.env.WGSLRUN_CHROMIUM || '/usr/bin/chromium';

// On a machine with a closed network: without the background-networking flags Chromium keeps
// trying to reach Google's hosts.
const COMMON_FLAGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-gpu-sandbox',
];

/** Display mode from WGSLRUN_CHROMIUM_DISPLAY: "headless" (default) or "x11". */
export function displayMode(env = process.env) {
  const mode = env.WGSLRUN_CHROMIUM_DISPLAY || 'headless';
  if (mode !== 'headless' && mode !== 'x11') {
    throw new Error(`WGSLRUN_CHROMIUM_DISPLAY=${mode}: expected headless or x11`);
  }
  if (mode === 'x11' && !env.DISPLAY) throw new Error('WGSLRUN_CHROMIUM_DISPLAY=x11 needs DISPLAY (start Xvfb first)');
  return mode;
}

function extraFlags(env) {
  return (env.WGSLRUN_CHROMIUM_FLAGS || '').split(/\s+/).filter(Boolean);
}

/** Flags every browser row starts with, before its own (WebGPU or WebGL) flags. */
export function baseFlags(env = process.env) {
  const display = displayMode(env) === 'x11' ? ['--ozone-platform=x11'] : ['--headless'];
  return [...display, ...COMMON_FLAGS, ...extraFlags(env)];
}

// WebGPU on Linux needs the unsafe flag and the Vulkan feature. Developer features lift the 100 µs
// quantisation of timestamp queries and expose the adapter's driver and backend. The adapter is
// Chromium's own choice, as a user's browser makes it (with VK_ICD_FILENAMES naming SwiftShader
// that is SwiftShader); WGSLRUN_CHROMIUM_ADAPTER=swiftshader forces Chromium's bundled SwiftShader.
export function webgpuFlags(env = process.env) {
  const adapter = env.WGSLRUN_CHROMIUM_ADAPTER;
  return [
    '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--enable-webgpu-developer-features',
    ...(adapter ? [`--use-webgpu-adapter=${adapter}`] : []),
  ];
}

/** playwright-core launch options for these flags (the headless switch is in `args`). */
export function launchOptions(args, env = process.env) {
  return { executablePath: CHROMIUM, headless: displayMode(env) === 'headless', args };
}
