//! The page's side of a run: the request it sends, the loop over the cases (whose steps are
//! the native runner's, in `execute`), and the result document it gets back.

use crate::cases::Sources;
use crate::execute::{plan, progress_line, verify_and_time};
use crate::gpu::Gpu;
use crate::report::CaseResult;
use crate::suite::{Size, Suite};
use serde_json::{Value, json};
use std::path::Path;

/// What the page asks for. The suite and kernels come as data: there are no files here.
pub struct Request {
    suite: Value,
    sources: Sources,
    size: Size,
    /// Substring of `case` or `case/variant`; `|` separates alternatives (as bench/rust).
    filter: Option<String>,
    seed: u64,
    command: String,
}

/// The native runner's default, so both rows draw inputs from the same streams.
const DEFAULT_SEED: u64 = 0x5EED_2026;

impl Request {
    pub fn parse(text: &str) -> Result<Request, String> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("request is not JSON: {e}"))?;
        let text_field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let size = text_field("size").unwrap_or_else(|| "small".into());
        let sources = v
            .get("kernels")
            .and_then(Value::as_object)
            .ok_or("request has no kernels object")?
            .iter()
            .map(|(path, source)| {
                Ok((
                    path.clone(),
                    source
                        .as_str()
                        .ok_or("kernel sources are strings")?
                        .to_owned(),
                ))
            })
            .collect::<Result<_, &str>>()
            .map(Sources::Given)?;
        Ok(Request {
            suite: v.get("suite").cloned().ok_or("request has no suite")?,
            sources,
            size: Size::parse(&size)
                .ok_or_else(|| format!("size must be small or large, not {size:?}"))?,
            filter: text_field("filter").filter(|f| !f.is_empty()),
            seed: v
                .get("seed")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_SEED),
            command: text_field("command").unwrap_or_default(),
        })
    }
}

/// Runs every selected case and returns the result document. `Err` only for problems that
/// stop the whole run (suite, adapter); a case that fails is a result row.
pub async fn run_suite(request: &Request, progress: &dyn Fn(&str)) -> Result<Value, String> {
    // Kernel paths stay relative ("kernels/stream.wgsl"): they are keys of `sources`.
    let suite = Suite::from_json(&request.suite, Path::new(""), request.size)
        .map_err(|e| format!("suite.json: {e}"))?;
    let planned = plan(&suite, request.filter.as_deref())?;
    let gpu = Gpu::open().await?;
    progress(&format!(
        "adapter: {} ({:?}), timestamps: {}",
        gpu.info.name,
        gpu.info.device_type,
        if gpu.timestamp_period.is_some() {
            "yes"
        } else {
            "no"
        }
    ));
    let mut results = Vec::new();
    for (k, (spec, inst)) in planned.iter().enumerate() {
        // No `catch_unwind` on wasm: a panic ends the whole run, and the host reports it.
        let mut result = CaseResult::new(spec, inst);
        verify_and_time(
            &gpu,
            &request.sources,
            spec,
            inst,
            suite.timing,
            request.seed,
            &mut result,
        )
        .await;
        progress(&progress_line(k + 1, planned.len(), &result));
        results.push(result);
    }
    Ok(document(&gpu, request, results))
}

/// The result document. `implementation`, `machine`, `date` and the browser's own adapter
/// description are the host's to add: wasm sees neither the browser nor the machine.
fn document(gpu: &Gpu, request: &Request, results: Vec<CaseResult>) -> Value {
    let info = &gpu.info;
    json!({
        "schema": "wgslrun-result/1",
        "method": crate::METHOD,
        "implementation": format!("wgpu {} (wasm32)", crate::WGPU_VERSION),
        "adapter": info.name,
        "backend": info.backend.to_str(),
        "driver": if info.driver_info.is_empty() { &info.driver } else { &info.driver_info },
        "device_class": if info.device_type == wgpu::DeviceType::Cpu { "cpu" } else { "gpu" },
        "timestamp_queries": gpu.timestamp_period.is_some(),
        "versions": {
            "wgslrun-bench-rust-wasm": env!("CARGO_PKG_VERSION"),
            "wgpu": crate::WGPU_VERSION,
        },
        "command": request.command,
        "suite": "suite.json",
        "size": request.size.as_str(),
        "results": results.iter().map(CaseResult::to_json).collect::<Vec<_>>(),
    })
}
