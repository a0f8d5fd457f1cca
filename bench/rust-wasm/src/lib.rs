//! "browser-rust-wasm" row of the wgslrun benchmark suite (see `bench/README.md`): the suite
//! through wgpu's WebGPU backend, compiled to wasm32-unknown-unknown and run in a browser page.
//!
//! The page hands over suite.json and the kernel sources (no file system on the web) and gets
//! the `wgslrun-result/1` document back; the host script adds what only it knows (browser,
//! machine, date). Everything waits with futures: the browser completes GPU work only when
//! control returns to its event loop, so nothing here may block.
//!
//! The native runner's modules (`bench/rust`) are compiled in through `#[path]`: the cases, the
//! GPU helpers and the shared runner steps (`execute`) are one copy for both rows, with their
//! GPU waits `async` and the few target-specific parts (opening the device, waits, the clock)
//! behind `cfg(target_arch = "wasm32")`. This crate adds the page interface (`runner`) and the
//! callback-to-future channel (`signal`), and provides `METHOD` and `WGPU_VERSION`.

use wasm_bindgen::prelude::*;

#[allow(dead_code)]
#[path = "../../rust/src/check.rs"]
mod check;
// Only `reflect`, `Kernel::entry` and `Entry::bind` are used: `Kernel::load` reads files.
#[allow(dead_code)]
#[path = "../../rust/src/kernel.rs"]
mod kernel;
#[allow(dead_code)]
#[path = "../../rust/src/reference.rs"]
mod reference;
// Only `CaseResult`: `Report::new` reads the clock through `SystemTime`, which panics on
// wasm32-unknown-unknown, so the document header is built in `runner`.
#[allow(dead_code)]
#[path = "../../rust/src/report.rs"]
mod report;
#[allow(dead_code)]
#[path = "../../rust/src/rng.rs"]
mod rng;
#[allow(dead_code)]
#[path = "../../rust/src/stats.rs"]
mod stats;
#[allow(dead_code)]
#[path = "../../rust/src/suite.rs"]
mod suite;

#[allow(dead_code)]
#[path = "../../rust/src/cases/mod.rs"]
mod cases;
#[path = "../../rust/src/execute.rs"]
mod execute;
#[allow(dead_code)]
#[path = "../../rust/src/gpu.rs"]
mod gpu;
mod runner;
mod signal;

/// Version of the `wgpu` crate this runner is built against (a test compares it with
/// Cargo.lock: Cargo offers no build-time access to dependency versions).
pub const WGPU_VERSION: &str = "30.0.2";

/// `method` field of the result file.
pub const METHOD: &str = "browser-rust-wasm";

/// Panics abort a wasm instance with a bare "unreachable"; the message goes to the console
/// first so the host can tell what broke.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("wgslrun-bench-rust-wasm panicked: {info}").into());
    }));
}

/// The wgpu version compiled in, for the host's `implementation` and `versions` fields.
#[wasm_bindgen(js_name = wgpuVersion)]
pub fn wgpu_version() -> String {
    WGPU_VERSION.to_string()
}

/// Runs the suite. `request` is JSON: `{"suite": <suite.json>, "kernels": {path: source},
/// "size", "filter"?, "seed"?, "command"?}`; `progress` receives one line per finished case.
/// Resolves to the result document as JSON text; rejects only when the run as a whole cannot
/// happen (bad request, no adapter). A failing case is a result row.
#[wasm_bindgen(js_name = runSuite)]
pub async fn run_suite(request: String, progress: js_sys::Function) -> Result<String, JsError> {
    let request = runner::Request::parse(&request).map_err(|e| JsError::new(&e))?;
    let log = |line: &str| {
        let _ = progress.call1(&JsValue::NULL, &JsValue::from_str(line));
    };
    let report = runner::run_suite(&request, &log)
        .await
        .map_err(|e| JsError::new(&e))?;
    Ok(serde_json::to_string_pretty(&report).expect("JSON values serialize"))
}
