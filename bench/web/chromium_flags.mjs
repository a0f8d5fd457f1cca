// The one definition of how every browser row starts Chromium (bench/web, bench/wasm,
// bench/rust-wasm, bench/webgl2): Debian's /usr/bin/chromium, never a downloaded browser.

export const CHROMIUM = process.env.WGSLRUN_CHROMIUM || '/usr/bin/chromium';

// Headless on a machine with a closed network: without the background-networking flags Chromium
// keeps trying to reach Google's hosts.
export const BASE_FLAGS = [
  '--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-gpu-sandbox',
];

// WebGPU on Linux needs the unsafe flag and the Vulkan feature. Developer features lift the 100 µs
// quantisation of timestamp queries and expose the adapter's driver and backend. The adapter is
// Chromium's own choice, as a user's browser makes it (with VK_ICD_FILENAMES naming SwiftShader
// that is SwiftShader); WGSLRUN_CHROMIUM_ADAPTER=swiftshader forces Chromium's bundled SwiftShader.
export function webgpuFlags() {
  const adapter = process.env.WGSLRUN_CHROMIUM_ADAPTER;
  return [
    '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--enable-webgpu-developer-features',
    ...(adapter ? [`--use-webgpu-adapter=${adapter}`] : []),
  ];
}
