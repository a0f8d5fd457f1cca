//! The one device every case runs on, and the buffer helpers the cases share.
//!
//! Shared with bench/rust-wasm (through `#[path]`): the waits are `async` so one copy of the
//! cases serves both rows. Natively they poll the device before returning, so their futures
//! are ready at once (`pollster::block_on` drives them); on wasm32 they resolve when the
//! browser's event loop reports the GPU work done. Target-specific parts are behind
//! `cfg(target_arch = "wasm32")`.

#[cfg(target_arch = "wasm32")]
use crate::signal;
use std::future::Future;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::mpsc;
use wgpu::util::DeviceExt;

pub struct Gpu {
    #[cfg(not(target_arch = "wasm32"))]
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub info: wgpu::AdapterInfo,
    /// Nanoseconds per timestamp tick; `None` when the device has no timestamp queries.
    pub timestamp_period: Option<f64>,
}

/// What the runner asks of an adapter: timestamps to time on the GPU, subgroups for the cases
/// that require them (suite.json "requires"), each where the adapter has it.
const WANTED_FEATURES: wgpu::Features = wgpu::Features::TIMESTAMP_QUERY.union(wgpu::Features::SUBGROUP);

impl Gpu {
    /// Whether the device has a suite feature name ("subgroups"); unknown names are missing.
    pub fn has_feature(&self, name: &str) -> bool {
        match name {
            "subgroups" => self.device.features().contains(wgpu::Features::SUBGROUP),
            _ => false,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// Parses `--backend`: the runner defaults to Vulkan because wgpu would otherwise happily pick
/// the GL backend (llvmpipe) on machines where the Vulkan driver is the one to measure.
pub fn parse_backends(name: &str) -> Option<wgpu::Backends> {
    match name {
        "vulkan" | "vk" => Some(wgpu::Backends::VULKAN),
        "gl" | "gles" => Some(wgpu::Backends::GL),
        "all" | "any" => Some(wgpu::Backends::VULKAN | wgpu::Backends::GL),
        _ => None,
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Gpu {
    /// Opens the adapter (first whose name contains `adapter_filter`, case-insensitively, or
    /// the high-performance default) and a device with the adapter's full limits.
    pub fn open(backends: wgpu::Backends, adapter_filter: Option<&str>) -> Result<Gpu, String> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        desc.backends = backends;
        let instance = wgpu::Instance::new(desc);
        let adapter = pick_adapter(&instance, backends, adapter_filter)?;
        let info = adapter.get_info();
        let features = adapter.features() & WANTED_FEATURES;
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("wgslrun-bench"),
            required_features: features,
            required_limits: adapter.limits(),
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }))
        .map_err(|e| format!("cannot create a device on {}: {e}", info.name))?;
        let timestamp_period = features
            .contains(wgpu::Features::TIMESTAMP_QUERY)
            .then(|| queue.get_timestamp_period() as f64);
        Ok(Gpu {
            adapter,
            device,
            queue,
            info,
            timestamp_period,
        })
    }
}

#[cfg(target_arch = "wasm32")]
impl Gpu {
    /// The browser's default (high-performance) adapter and a device with its full limits, so
    /// the large sizes are not refused by WebGPU's conservative default limits.
    pub async fn open() -> Result<Gpu, String> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = wgpu::Backends::BROWSER_WEBGPU;
        let instance = wgpu::Instance::new(desc);
        let options = wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        };
        let adapter = instance
            .request_adapter(&options)
            .await
            .map_err(|e| format!("no WebGPU adapter: {e} (is WebGPU enabled in this browser?)"))?;
        let info = adapter.get_info();
        let features = adapter.features() & WANTED_FEATURES;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("wgslrun-bench"),
                required_features: features,
                required_limits: adapter.limits(),
                experimental_features: wgpu::ExperimentalFeatures::disabled(),
                memory_hints: wgpu::MemoryHints::Performance,
                trace: wgpu::Trace::Off,
            })
            .await
            .map_err(|e| format!("cannot create a device on {}: {e}", info.name))?;
        // wgpu's default handler panics, which would abort the whole wasm instance; every
        // case runs inside error scopes, so anything reaching here is only worth a log line.
        device.on_uncaptured_error(std::sync::Arc::new(|e| {
            web_sys::console::error_1(&format!("uncaptured WebGPU error: {e}").into());
        }));
        let timestamp_period = features
            .contains(wgpu::Features::TIMESTAMP_QUERY)
            .then(|| queue.get_timestamp_period() as f64);
        Ok(Gpu {
            device,
            queue,
            info,
            timestamp_period,
        })
    }
}

impl Gpu {
    /// A storage buffer the kernels read or write, and the runner fills or reads back.
    pub fn storage(&self, label: &str, size: u64) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Kernel parameters. Usable both as uniform and storage so the runner doesn't depend on
    /// which address space a kernel author chose for its params struct.
    pub fn params(&self, label: &str, words: &[u32]) -> wgpu::Buffer {
        let mut bytes: Vec<u8> = bytemuck::cast_slice(words).to_vec();
        bytes.resize(bytes.len().div_ceil(16).max(1) * 16, 0);
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &bytes,
                usage: wgpu::BufferUsages::UNIFORM
                    | wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_DST,
            })
    }

    /// A CPU-mappable buffer for reading results back.
    pub fn staging(&self, label: &str, size: u64) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    pub fn write(&self, buffer: &wgpu::Buffer, bytes: &[u8]) {
        self.queue.write_buffer(buffer, 0, bytes);
    }

    /// Fills an output with 0xFF bytes (NaN for f32) so a kernel that skips an element fails.
    pub fn poison(&self, buffer: &wgpu::Buffer) {
        self.write(buffer, &vec![0xFF; buffer.size() as usize]);
    }

    /// Resolves when the submission `index` (and everything before it) has completed.
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn wait(&self, index: wgpu::SubmissionIndex) -> Result<(), String> {
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: None,
            })
            .map(|_| ())
            .map_err(|e| format!("device poll failed: {e}"))
    }

    /// Resolves when everything submitted so far (and queued writes) has completed: WebGPU
    /// only reports the whole queue, which includes the submission `index`.
    #[cfg(target_arch = "wasm32")]
    pub async fn wait(&self, _index: wgpu::SubmissionIndex) -> Result<(), String> {
        let (done, finished) = signal::channel();
        self.queue.on_submitted_work_done(move || done(()));
        finished.await;
        Ok(())
    }

    pub async fn submit_wait(&self, commands: wgpu::CommandBuffer) -> Result<(), String> {
        let index = self.queue.submit([commands]);
        self.wait(index).await
    }

    /// Maps a staging buffer that a finished submission filled and copies it into `out`.
    /// The caller has submitted the copy; natively the poll here both waits for it and runs
    /// the map callback, on the web the map resolves only after the copy has run.
    pub async fn map_into(&self, staging: &wgpu::Buffer, out: &mut [u8]) -> Result<(), String> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let (tx, rx) = mpsc::channel();
            staging.map_async(wgpu::MapMode::Read, .., move |r| {
                let _ = tx.send(r);
            });
            self.device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| format!("device poll failed: {e}"))?;
            rx.recv()
                .map_err(|_| "map callback never ran".to_string())?
                .map_err(|e| format!("buffer map failed: {e}"))?;
        }
        #[cfg(target_arch = "wasm32")]
        {
            let (mapped, result) = signal::channel();
            staging.map_async(wgpu::MapMode::Read, .., mapped);
            result
                .await
                .map_err(|e| format!("buffer map failed: {e}"))?;
        }
        {
            let view = staging
                .get_mapped_range(..)
                .map_err(|e| format!("mapped range: {e}"))?;
            out.copy_from_slice(&view[..out.len()]);
        }
        staging.unmap();
        Ok(())
    }

    /// Reads a whole buffer back (verification only: allocates a fresh staging buffer).
    pub async fn read(&self, buffer: &wgpu::Buffer) -> Result<Vec<u8>, String> {
        let size = buffer.size();
        let staging = self.staging("readback", size);
        let mut encoder = self.device.create_command_encoder(&Default::default());
        encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, size);
        self.queue.submit([encoder.finish()]);
        let mut out = vec![0u8; size as usize];
        self.map_into(&staging, &mut out).await?;
        staging.destroy();
        Ok(out)
    }

    pub async fn read_f32(&self, buffer: &wgpu::Buffer) -> Result<Vec<f32>, String> {
        Ok(words(&self.read(buffer).await?)
            .map(f32::from_bits)
            .collect())
    }

    pub async fn read_u32(&self, buffer: &wgpu::Buffer) -> Result<Vec<u32>, String> {
        Ok(words(&self.read(buffer).await?).collect())
    }

    /// Runs `work` with validation and out-of-memory errors captured, so a broken kernel or an
    /// oversized buffer becomes a failed case instead of wgpu's default panic (or, on the
    /// web, a log line and garbage results). `work` is a lazy future: nothing in it runs
    /// before the scopes are pushed.
    pub async fn scoped<T, E: From<String>>(
        &self,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let result = work.await;
        let validation = validation.pop().await;
        let oom = oom.pop().await;
        match (validation, oom) {
            (Some(e), _) => Err(format!("{VALIDATION_ERROR}: {e}").into()),
            (_, Some(e)) => Err(format!("{OUT_OF_MEMORY}: {e}").into()),
            (None, None) => result,
        }
    }
}

/// Prefix of the error [`Gpu::scoped`] reports for an out-of-memory error.
#[cfg(not(target_arch = "wasm32"))]
pub const OUT_OF_MEMORY: &str = "wgpu out of memory";
#[cfg(target_arch = "wasm32")]
pub const OUT_OF_MEMORY: &str = "WebGPU out of memory";

#[cfg(not(target_arch = "wasm32"))]
const VALIDATION_ERROR: &str = "wgpu validation error";
#[cfg(target_arch = "wasm32")]
const VALIDATION_ERROR: &str = "WebGPU validation error";

/// Host wall clock for timing samples: `Instant` natively; on wasm32-unknown-unknown (no
/// `Instant`) the page's `performance.now()`, which cross-origin isolation gives 5 us
/// resolution instead of 100 us.
pub struct Stopwatch {
    #[cfg(not(target_arch = "wasm32"))]
    start: std::time::Instant,
    #[cfg(target_arch = "wasm32")]
    start_ms: f64,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            #[cfg(not(target_arch = "wasm32"))]
            start: std::time::Instant::now(),
            #[cfg(target_arch = "wasm32")]
            start_ms: now_ms(),
        }
    }

    /// Milliseconds since [`Stopwatch::start`].
    pub fn elapsed_ms(&self) -> f64 {
        #[cfg(not(target_arch = "wasm32"))]
        return self.start.elapsed().as_secs_f64() * 1e3;
        #[cfg(target_arch = "wasm32")]
        return now_ms() - self.start_ms;
    }
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .expect("the runner runs in a page with performance.now()")
        .now()
}

/// A warning for whoever watches the run: stderr natively, the console on the web.
pub fn warn(message: &str) {
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("warning: {message}");
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&message.into());
}

#[cfg(not(target_arch = "wasm32"))]
fn pick_adapter(
    instance: &wgpu::Instance,
    backends: wgpu::Backends,
    filter: Option<&str>,
) -> Result<wgpu::Adapter, String> {
    let Some(filter) = filter else {
        let options = wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        };
        return pollster::block_on(instance.request_adapter(&options)).map_err(|e| {
            format!("no adapter for backends {backends:?}: {e} (on Linux, Vulkan needs a driver or VK_ICD_FILENAMES)")
        });
    };
    let adapters = pollster::block_on(instance.enumerate_adapters(backends));
    let names: Vec<String> = adapters.iter().map(|a| a.get_info().name).collect();
    let needle = filter.to_lowercase();
    adapters
        .into_iter()
        .find(|a| a.get_info().name.to_lowercase().contains(&needle))
        .ok_or_else(|| format!("no adapter name contains {filter:?}; available: {names:?}"))
}

/// Little-endian 32-bit words of a byte buffer.
pub fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Workgroup counts for a 1D dispatch of `groups` workgroups, folded into y past 65535 as the
/// spec requires (kernels linearise with `id.x + id.y * num_workgroups.x * WORKGROUP_SIZE`).
pub fn fold_1d(groups: u32) -> [u32; 3] {
    const MAX_X: u32 = 65535;
    // Balanced: (65535, 2) for 65536 groups would launch almost twice the work.
    let rows = groups.div_ceil(MAX_X).max(1);
    [groups.div_ceil(rows), rows, 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_follows_the_spec() {
        assert_eq!(fold_1d(1), [1, 1, 1]);
        assert_eq!(fold_1d(65535), [65535, 1, 1]);
        assert_eq!(fold_1d(65536), [32768, 2, 1]);
        assert_eq!(fold_1d(262144), [52429, 5, 1]);
    }

    #[test]
    fn backend_names() {
        assert_eq!(parse_backends("vulkan"), Some(wgpu::Backends::VULKAN));
        assert_eq!(parse_backends("gl"), Some(wgpu::Backends::GL));
        assert!(parse_backends("metal").is_none());
    }
}
