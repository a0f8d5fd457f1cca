//! The one device every case runs on, buffer helpers, and the awaitable waits the cases use.

use crate::signal;
use std::future::Future;
use std::sync::Arc;
use wgpu::util::DeviceExt;

pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub info: wgpu::AdapterInfo,
    /// Nanoseconds per timestamp tick; `None` when the adapter offers no 'timestamp-query'.
    pub timestamp_period: Option<f64>,
}

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
        let features = adapter.features() & wgpu::Features::TIMESTAMP_QUERY;
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
        device.on_uncaptured_error(Arc::new(|e| {
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

    /// Kernel parameters, usable as uniform or storage so the runner doesn't depend on which
    /// address space a kernel chose; padded to 16 bytes, the uniform minimum.
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

    /// A mappable buffer for reading results back.
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

    /// Resolves when everything submitted so far (and queued writes) has completed.
    pub async fn idle(&self) {
        let (done, finished) = signal::channel();
        self.queue.on_submitted_work_done(move || done(()));
        finished.await
    }

    pub async fn submit_wait(&self, commands: wgpu::CommandBuffer) {
        self.queue.submit([commands]);
        self.idle().await
    }

    /// Maps a staging buffer whose copy has been submitted and copies it into `out`. The map
    /// resolves only after the copy has run, so it is also the wait.
    pub async fn map_into(&self, staging: &wgpu::Buffer, out: &mut [u8]) -> Result<(), String> {
        let (mapped, result) = signal::channel();
        staging.map_async(wgpu::MapMode::Read, .., mapped);
        result
            .await
            .map_err(|e| format!("buffer map failed: {e}"))?;
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

    /// Runs `work` with validation and out-of-memory errors captured, so a broken kernel or an
    /// oversized buffer becomes a failed case instead of a log line and garbage results.
    /// `work` is a lazy future: nothing in it runs before the scopes are pushed.
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
            (Some(e), _) => Err(format!("WebGPU validation error: {e}").into()),
            (_, Some(e)) => Err(format!("{OUT_OF_MEMORY}: {e}").into()),
            (None, None) => result,
        }
    }
}

/// Prefix of the error [`Gpu::scoped`] reports for an out-of-memory error.
pub const OUT_OF_MEMORY: &str = "WebGPU out of memory";

/// The page's clock in milliseconds (`Instant` is not available on wasm32-unknown-unknown).
/// Cross-origin isolation gives it 5 us resolution instead of 100 us.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .expect("the runner runs in a page with performance.now()")
        .now()
}

/// Little-endian 32-bit words of a byte buffer.
pub fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

pub fn f32s(bytes: &[u8]) -> Vec<f32> {
    words(bytes).map(f32::from_bits).collect()
}

pub fn u32s(bytes: &[u8]) -> Vec<u32> {
    words(bytes).collect()
}

/// Workgroup counts for a 1D dispatch of `groups` workgroups, folded into y past 65535 and
/// balanced, as the spec requires.
pub fn fold_1d(groups: u32) -> [u32; 3] {
    let rows = groups.div_ceil(65535).max(1);
    [groups.div_ceil(rows), rows, 1]
}
