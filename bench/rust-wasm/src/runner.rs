//! Runs the suite: verification first, then warmup and timed samples, per the spec's rules.

use crate::cases::{self, BuildError, Clock, Instance, Sources, Work};
use crate::gpu::{Gpu, OUT_OF_MEMORY};
use crate::program::Timer;
use crate::report::CaseResult;
use crate::rng::Rng;
use crate::stats::Summary;
use crate::suite::{CaseSpec, Size, Suite, Timing};
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
            .collect::<Result<Sources, &str>>()?;
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

fn matches_filter(filter: Option<&str>, label: &str) -> bool {
    filter.is_none_or(|f| f.split('|').any(|alt| label.contains(alt)))
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
        let result = run_instance(&gpu, spec, inst, suite.timing, request).await;
        progress(&progress_line(k + 1, planned.len(), &result));
        results.push(result);
    }
    Ok(document(&gpu, request, results))
}

fn plan<'a>(
    suite: &'a Suite,
    filter: Option<&str>,
) -> Result<Vec<(&'a CaseSpec, Instance)>, String> {
    let mut planned = Vec::new();
    for spec in &suite.cases {
        for inst in cases::instances(spec)? {
            if matches_filter(filter, &inst.label(&spec.id)) {
                planned.push((spec, inst));
            }
        }
    }
    if planned.is_empty() {
        return Err(format!("filter {:?} matches no case", filter.unwrap_or("")));
    }
    Ok(planned)
}

fn progress_line(k: usize, total: usize, r: &CaseResult) -> String {
    let head = format!("[{k:>2}/{total}] {:<22} {:<34}", r.label(), r.params_text());
    match (r.verified, &r.metric_value) {
        (None, _) => format!(
            "{head} unsupported: {}",
            r.unsupported.as_deref().unwrap_or("")
        ),
        (Some(false), _) => format!("{head} FAILED: {}", r.error.as_deref().unwrap_or("")),
        (Some(true), Some(v)) => format!(
            "{head} ok  {v:.3} {} ({} median {:.4} ms)",
            r.metric.unit,
            r.timing().unwrap_or("-"),
            r.time().map_or(0.0, |t| t.median)
        ),
        (Some(true), None) => format!(
            "{head} verified, timing failed: {}",
            r.error.as_deref().unwrap_or("")
        ),
    }
}

/// Builds, verifies and times one case instance. (No `catch_unwind` on wasm: a panic ends
/// the whole run, and the host reports it.)
async fn run_instance(
    gpu: &Gpu,
    spec: &CaseSpec,
    inst: &Instance,
    timing: Timing,
    request: &Request,
) -> CaseResult {
    let mut result = CaseResult::new(spec, inst);
    let built = gpu
        .scoped(async { cases::build(gpu, spec, inst, &request.sources) })
        .await;
    let mut work = match built {
        Ok(work) => work,
        Err(BuildError::Unsupported(reason)) => {
            result.set_unsupported(reason);
            return result;
        }
        Err(BuildError::Failed(e)) if e.starts_with(OUT_OF_MEMORY) => {
            result.set_unsupported(e);
            return result;
        }
        Err(BuildError::Failed(e)) => {
            result.error = Some(e);
            return result;
        }
    };
    if verify(gpu, &mut work, spec, inst, request.seed, &mut result).await {
        time(gpu, &mut work, timing, &mut result).await;
    }
    result
}

/// The verification run; true when it passed (and `result` says so).
async fn verify(
    gpu: &Gpu,
    work: &mut Work,
    spec: &CaseSpec,
    inst: &Instance,
    seed: u64,
    result: &mut CaseResult,
) -> bool {
    // The native runner's stream label: same seed, same inputs.
    let mut rng = Rng::for_label(seed, &format!("{} {:?}", inst.label(&spec.id), inst.params));
    match gpu.scoped(work.verify(gpu, &mut rng)).await {
        Ok(check) => {
            result.max_error = check.max_error.is_finite().then_some(check.max_error);
            if let Some(e) = check.error {
                result.error = Some(e);
                return false;
            }
        }
        // The device couldn't hold the case's data: a limit of the device, not a wrong result.
        Err(e) if e.starts_with(OUT_OF_MEMORY) => {
            result.set_unsupported(e);
            return false;
        }
        Err(e) => {
            result.error = Some(e);
            return false;
        }
    }
    result.verified = Some(true);
    true
}

async fn time(gpu: &Gpu, work: &mut Work, timing: Timing, result: &mut CaseResult) {
    match gpu.scoped(measure(gpu, work, timing)).await {
        Ok((wall, gpu_ms)) => {
            result.wall = Summary::of(&wall);
            result.gpu = gpu_ms.as_deref().and_then(Summary::of);
            let seconds = result.time().map(|t| t.median / 1e3);
            result.metric_value = seconds.map(|s| work.metric(s));
            result.extra_metrics = seconds.map(|s| work.extra_metrics(s)).unwrap_or_default();
        }
        Err(e) => result.error = Some(format!("timing: {e}")),
    }
}

/// Warmup then timed samples; per-run wall and (when available) GPU times in ms.
async fn measure(
    gpu: &Gpu,
    work: &mut Work,
    timing: Timing,
) -> Result<(Vec<f64>, Option<Vec<f64>>), String> {
    let total = timing.warmup + timing.samples;
    let runs = work.runs_per_sample() as f64;
    let timer = match (work.clock(), gpu.timestamp_period) {
        (Clock::Gpu, Some(period)) => Some(Timer::new(gpu, total, period)),
        _ => None,
    };
    let mut wall = Vec::with_capacity(timing.samples as usize);
    for k in 0..total {
        let elapsed_ms = work
            .sample(gpu, timer.as_ref().map(|t| t.stamps(k)))
            .await?;
        if k >= timing.warmup {
            wall.push(elapsed_ms / runs);
        }
    }
    let gpu_ms = match timer {
        Some(t) => t.read_ns(gpu).await?.map(|ns| {
            ns[timing.warmup as usize..]
                .iter()
                .map(|ns| ns / 1e6 / runs)
                .collect()
        }),
        None => None,
    };
    if matches!((work.clock(), &gpu_ms), (Clock::Gpu, None)) && gpu.timestamp_period.is_some() {
        web_sys::console::warn_1(
            &"GPU timestamps not increasing; using wall time for this case".into(),
        );
    }
    Ok((wall, gpu_ms))
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
