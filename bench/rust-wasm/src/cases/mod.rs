//! The suite's cases. Each builds its pipelines and buffers once ([`build`]); the runner then
//! verifies and times it through [`Work`].
//!
//! Async methods are not dyn-compatible, so the four shapes of case are an enum rather than
//! trait objects: the kernel cases share one shape (`KernelCase`), the host-timed cases
//! (`dispatch`, `transfer`, `e2e_saxpy`) have their own.

mod dispatch;
mod kernels;
mod saxpy;
mod transfer;

use crate::check::Check;
use crate::gpu::Gpu;
use crate::kernel::{self, Kernel};
use crate::program::Stamps;
use crate::rng::Rng;
use crate::suite::CaseSpec;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub use kernels::KernelCase;

/// Which clock the metric uses for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// GPU timestamps when the device has them (wall time is recorded too).
    Gpu,
    /// Host wall time only: the spec measures these cases end to end on the host.
    Wall,
}

/// Why a case could not be set up.
#[derive(Debug)]
pub enum BuildError {
    /// The device can't run it at all (e.g. a buffer larger than the device allows).
    Unsupported(String),
    Failed(String),
}

impl From<String> for BuildError {
    fn from(e: String) -> Self {
        BuildError::Failed(e)
    }
}

/// One result row of a case: the case itself, or one of its variants / transfer sizes.
#[derive(Clone, Debug)]
pub struct Instance {
    pub variant: Option<String>,
    pub params: Map<String, Value>,
}

impl Instance {
    pub fn label(&self, case: &str) -> String {
        match &self.variant {
            Some(v) => format!("{case}/{v}"),
            None => case.to_string(),
        }
    }
}

/// Expands a case into its result rows: one per variant, and for `transfer` one per size.
pub fn instances(spec: &CaseSpec) -> Result<Vec<Instance>, String> {
    let variants: Vec<Option<String>> = if spec.variants.is_empty() {
        vec![None]
    } else {
        spec.variants.iter().cloned().map(Some).collect()
    };
    let param_sets = if spec.id == "transfer" {
        let sizes = spec.param_u64_list("bytes")?;
        sizes
            .into_iter()
            .map(|bytes| Map::from_iter([("bytes".to_string(), Value::from(bytes))]))
            .collect()
    } else {
        vec![spec.params.clone()]
    };
    Ok(variants
        .iter()
        .flat_map(|variant| {
            param_sets.iter().map(|params| Instance {
                variant: variant.clone(),
                params: params.clone(),
            })
        })
        .collect())
}

/// Kernel sources by the path suite.json gives (`kernels/stream.wgsl`): the page fetched them.
pub type Sources = BTreeMap<String, String>;

/// A built case, ready to verify and time.
pub enum Work {
    Kernel(KernelCase),
    Dispatch(dispatch::Dispatch),
    Transfer(transfer::Transfer),
    Saxpy(saxpy::Saxpy),
}

impl Work {
    /// Fresh random inputs, poisoned outputs, one run, and the comparison with the CPU
    /// reference.
    pub async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        match self {
            Work::Kernel(k) => k.verify(gpu, rng).await,
            Work::Dispatch(d) => d.verify(gpu).await,
            Work::Transfer(t) => t.verify(gpu, rng).await,
            Work::Saxpy(s) => s.verify(gpu, rng).await,
        }
    }

    /// One sample; returns its host wall time in ms.
    pub async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        match self {
            Work::Kernel(k) => Ok(k.sample(gpu, stamps).await),
            Work::Dispatch(d) => Ok(d.run(gpu).await),
            Work::Transfer(t) => t.sample(gpu).await,
            Work::Saxpy(s) => s.run(gpu).await,
        }
    }

    pub fn runs_per_sample(&self) -> u32 {
        match self {
            Work::Kernel(k) => k.inner,
            _ => 1,
        }
    }

    pub fn clock(&self) -> Clock {
        match self {
            Work::Kernel(_) => Clock::Gpu,
            _ => Clock::Wall,
        }
    }

    /// The case's metric, from the time of one run.
    pub fn metric(&self, seconds_per_run: f64) -> f64 {
        match self {
            Work::Kernel(k) => k.metric(seconds_per_run),
            Work::Dispatch(d) => d.metric(seconds_per_run),
            Work::Transfer(t) => t.metric(seconds_per_run),
            Work::Saxpy(_) => seconds_per_run * 1e3,
        }
    }

    /// Further metrics the spec asks for besides the main one.
    pub fn extra_metrics(&self, seconds_per_run: f64) -> Vec<Value> {
        match self {
            Work::Saxpy(s) => vec![s.bandwidth(seconds_per_run)],
            _ => Vec::new(),
        }
    }
}

pub fn build(
    gpu: &Gpu,
    spec: &CaseSpec,
    inst: &Instance,
    sources: &Sources,
) -> Result<Work, BuildError> {
    let variant = inst.variant.as_deref().unwrap_or("");
    if spec.id == "transfer" {
        return Ok(Work::Transfer(transfer::Transfer::build(
            gpu, inst, variant,
        )?));
    }
    let kernel = load_kernel(gpu, spec, sources)?;
    Ok(match spec.id.as_str() {
        "dispatch" => Work::Dispatch(dispatch::Dispatch::build(gpu, spec, &kernel, variant)?),
        "e2e_saxpy" => Work::Saxpy(saxpy::Saxpy::build(gpu, spec, &kernel)?),
        _ => Work::Kernel(kernels::build(gpu, spec, &kernel)?),
    })
}

/// Creates the pipelines of the case's kernel for every entry point suite.json lists, using
/// the shared naga reflection to learn which bindings each entry point uses.
fn load_kernel(gpu: &Gpu, spec: &CaseSpec, sources: &Sources) -> Result<Kernel, BuildError> {
    let path = spec
        .kernel
        .as_ref()
        .and_then(|p| p.to_str())
        .ok_or_else(|| format!("case {} names no kernel", spec.id))?;
    let source = sources
        .get(path)
        .ok_or_else(|| format!("the page passed no source for {path}"))?;
    let used = kernel::reflect(source, &spec.entries).map_err(|e| format!("kernel {path}: {e}"))?;
    let module = gpu
        .device
        .create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(path),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
    let entries = spec
        .entries
        .iter()
        .zip(used)
        .map(|(name, bindings)| kernel::Entry {
            pipeline: compute_pipeline(gpu, &module, name),
            name: name.clone(),
            bindings,
        })
        .collect();
    Ok(Kernel { entries })
}

fn compute_pipeline(gpu: &Gpu, module: &wgpu::ShaderModule, entry: &str) -> wgpu::ComputePipeline {
    gpu.device
        .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: None, // automatic: holds exactly the bindings the entry point uses
            module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        })
}

/// Refuses buffers the device can't hold, so the case reports why instead of a WebGPU error.
fn check_buffer_size(gpu: &Gpu, what: &str, bytes: u64, storage: bool) -> Result<(), BuildError> {
    let limits = gpu.device.limits();
    let max = if storage {
        limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size)
    } else {
        limits.max_buffer_size
    };
    if bytes > max {
        return Err(BuildError::Unsupported(format!(
            "{what} needs {bytes} bytes; the device allows {max}"
        )));
    }
    Ok(())
}

fn bytes_f32(v: &[f32]) -> &[u8] {
    bytemuck::cast_slice(v)
}

fn bytes_u32(v: &[u32]) -> &[u8] {
    bytemuck::cast_slice(v)
}

/// Giga-units per second.
fn per_second_g(amount: f64, seconds: f64) -> f64 {
    amount / seconds / 1e9
}
